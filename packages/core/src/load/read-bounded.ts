import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { ParleyError } from "../errors/index.ts";
import { LOAD_LIMITS } from "./limits.ts";

/** A file the loader will not read: not a regular file (a FIFO, a device, a folder) or too big. */
export type UnreadableFileErrorCode = "not_a_file" | "file_too_large";

export class UnreadableFileError extends ParleyError<UnreadableFileErrorCode> {
  constructor(code: UnreadableFileErrorCode, message: string) {
    super(code, message);
  }
}

/**
 * Reads a regular file of at most `maxBytes` as UTF-8. Opened without blocking, so a FIFO (which would wait for a
 * writer forever) or a device like /dev/zero (which never ends) is refused at once instead of hanging the load.
 *
 * @example
 * const text = await readRegularFile("support.agent.md"); // UnreadableFileError for /dev/zero
 */
export async function readRegularFile(
  file: string,
  maxBytes = LOAD_LIMITS.fileBytes,
): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new UnreadableFileError(
        "not_a_file",
        `${stat.isDirectory() ? "a folder" : "a special file (device, FIFO or socket)"}, not a regular file`,
      );
    if (stat.size > maxBytes)
      throw new UnreadableFileError(
        "file_too_large",
        `the file is ${stat.size} bytes; the limit is ${maxBytes}`,
      );
    // Read in chunks up to one byte past the limit: a file that grows while being read, or that reports no size
    // (/proc), is still bounded.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= maxBytes) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > maxBytes)
      throw new UnreadableFileError("file_too_large", `the file is over ${maxBytes} bytes`);
    return Buffer.concat(chunks, length).toString("utf8");
  } finally {
    await handle.close();
  }
}
