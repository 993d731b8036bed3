import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { readCapped } from "../transport/read-capped.ts";
import { SessionError } from "./errors.ts";

/** Default cap on an image's size (bytes, before base64). Override with `sendImage(src, { maxBytes })`. */
export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export type ImageSource = string | Buffer | Uint8Array | URL;

const SIGNATURES: { mime: string; test: (b: Uint8Array) => boolean }[] = [
  {
    mime: "image/png",
    test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  },
  { mime: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mime: "image/gif",
    test: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38,
  },
  {
    mime: "image/webp",
    test: (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP",
  },
];

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/** The MIME type of an image from its first bytes (PNG, JPEG, GIF, WebP), or undefined. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find((s) => s.test(bytes))?.mime;
}

/**
 * Reads an image (a path, bytes, or a `file:`/`http(s):` URL), checks its type and size, and returns it as the
 * data URL an `input_image` content part carries.
 *
 * @example
 * const url = await imageDataUrl("./photo.jpg"); // "data:image/jpeg;base64,…"
 */
export async function imageDataUrl(
  source: ImageSource,
  maxBytes = DEFAULT_MAX_IMAGE_BYTES,
): Promise<string> {
  const label = describe(source);
  const bytes = await readImage(source, label, maxBytes);
  if (bytes.byteLength > maxBytes) throw tooLarge(label, bytes.byteLength, maxBytes);
  const mime = sniffImageType(bytes);
  if (!mime) {
    throw new SessionError(
      "image_unsupported",
      `${label} is not a PNG, JPEG, GIF or WebP image (its first bytes match none of them)`,
    );
  }
  return `data:${mime};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}`;
}

async function readImage(
  source: ImageSource,
  label: string,
  maxBytes: number,
): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  const url =
    source instanceof URL
      ? source
      : /^(https?|file):\/\//i.test(source)
        ? new URL(source)
        : undefined;
  try {
    if (url && url.protocol !== "file:") {
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new SessionError(
          "image_unreadable",
          `${label}: only file:, http: and https: URLs are supported`,
        );
      }
      const res = await fetch(url);
      if (!res.ok) throw new SessionError("image_unreadable", `${label}: HTTP ${res.status}`);
      const body = await readCapped(res, maxBytes);
      if ("tooLarge" in body) throw tooLarge(label, body.tooLarge, maxBytes, body.partial);
      return body.bytes;
    }
    const path = url ? fileURLToPath(url) : (source as string);
    const info = await stat(path);
    if (info.size > maxBytes) throw tooLarge(label, info.size, maxBytes);
    return await readFile(path);
  } catch (error) {
    if (error instanceof SessionError) throw error;
    throw new SessionError(
      "image_unreadable",
      `${label} could not be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function tooLarge(label: string, size: number, max: number, partial = false): SessionError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new SessionError(
    "image_too_large",
    `${label} is ${partial ? "more than " : ""}${mb(size)}, over the ${mb(max)} limit; send a smaller or resized image`,
  );
}

function describe(source: ImageSource): string {
  if (source instanceof Uint8Array) return "the image";
  return `image ${source instanceof URL ? source.href : source}`;
}
