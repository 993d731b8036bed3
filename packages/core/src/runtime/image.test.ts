import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { imageDataUrl, sniffImageType } from "./image.ts";

const fixtures = new URL("../../test/fixtures/runtime/", import.meta.url);
const pixel = new URL("pixel.png", fixtures);

describe("images for input_image items", () => {
  it("reads a path, a file URL or bytes into a data URL with the sniffed type", async () => {
    const fromPath = await imageDataUrl(pixel.pathname);
    expect(fromPath).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(await imageDataUrl(pixel)).toBe(fromPath);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
    expect(await imageDataUrl(jpeg)).toBe(`data:image/jpeg;base64,${jpeg.toString("base64")}`);
    expect(sniffImageType(Buffer.from("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
  });

  it("refuses a file that is not an image with a clear error", async () => {
    await expect(imageDataUrl(new URL("not-an-image.txt", fixtures))).rejects.toMatchObject({
      code: "image_unsupported",
      message: expect.stringContaining("not a PNG, JPEG, GIF or WebP"),
    });
  });

  it("refuses an image over the size limit before reading it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "parley-img-"));
    const big = join(dir, "big.png");
    await writeFile(
      big,
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(2048)]),
    );
    await expect(imageDataUrl(pathToFileURL(big), 1024)).rejects.toMatchObject({
      code: "image_too_large",
      message: expect.stringContaining("over the 0.0 MB limit"),
    });
  });

  it("reports a missing file as unreadable", async () => {
    await expect(imageDataUrl("/nonexistent/photo.png")).rejects.toMatchObject({
      code: "image_unreadable",
    });
  });

  it("stops downloading an image without content-length once it passes the limit", async () => {
    // The server streams PNG bytes forever, chunked (no content-length): only a capped read can end.
    let sent = 0;
    let aborted!: () => void;
    const gone = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "image/png" });
      res.write(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      const chunk = Buffer.alloc(16 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once("drain", pump);
      };
      res.once("close", () => aborted());
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      await expect(
        imageDataUrl(`http://127.0.0.1:${port}/endless.png`, 64 * 1024),
      ).rejects.toMatchObject({
        code: "image_too_large",
        message: expect.stringContaining("more than"),
      });
      await gone; // the download was cancelled: the server saw the connection close
      expect(sent).toBeLessThan(64 * 1024 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
