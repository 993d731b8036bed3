/**
 * Reads a fetch response's body, refusing more than `maxBytes`: a declared content-length over the limit is refused
 * before reading, and the download is cancelled as soon as the bytes pass it, so a server that sends no
 * content-length, or lies in it, cannot make us buffer more than the limit. Resolves `{ tooLarge }` (the bytes seen,
 * at least) instead of throwing, so each caller raises its own located error.
 *
 * @example
 * const body = await readCapped(await fetch(url), 1_000_000);
 * if ("tooLarge" in body) throw new MyError(`over the limit (${body.tooLarge}+ bytes)`);
 */
export async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ bytes: Uint8Array } | { tooLarge: number; partial: boolean }> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return { tooLarge: declared, partial: false };
  }
  if (!response.body) return { bytes: new Uint8Array(0) };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { tooLarge: total, partial: true };
    }
    chunks.push(value);
  }
  return { bytes: Buffer.concat(chunks, total) };
}
