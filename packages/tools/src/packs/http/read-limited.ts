import { HttpToolError } from "./errors.ts";

/**
 * Reads a response body, refusing more than `maxBytes` (checked against content-length first, then while
 * streaming, so a huge or endless body is cut off without being buffered).
 */
export async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(maxBytes);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(maxBytes: number): HttpToolError {
  return new HttpToolError(
    "response_too_large",
    `the response is larger than the ${maxBytes}-byte limit (maxBytes)`,
  );
}
