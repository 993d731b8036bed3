import type { AudioFormat } from "./formats.ts";

/**
 * Test audio can carry its own transcript, hidden in the least significant bit of each sample (pcm16) or byte
 * (G.711): a 4-byte marker, a 2-byte length, the UTF-8 text and a 1-byte checksum. Flipping the lowest bit
 * changes a 16-bit sample by 1 part in 32,768 — inaudible, and the audio keeps its real energy for VAD.
 * The local server reads it back when the audio is committed; the real API would simply hear a tone.
 */
const MARKER = [0xb7, 0x4c, 0x50, 0x54];

/** The bytes a carrier sends for `text`: marker, 2-byte length, UTF-8 text, checksum. */
export function payload(text: string): number[] {
  const utf8 = [...Buffer.from(text, "utf8")];
  const length = Math.min(utf8.length, 0xffff);
  const body = utf8.slice(0, length);
  const checksum = body.reduce((a, b) => (a + b) & 0xff, length & 0xff);
  return [...MARKER, length >> 8, length & 0xff, ...body, checksum];
}

/** Bits needed to carry `text`. */
export function carrierBits(text: string): number {
  return payload(text).length * 8;
}

/** Byte stride between carrier bits: every pcm16 sample's low byte, or every G.711 byte. */
const stride = (format: AudioFormat) => (format === "audio/pcm" ? 2 : 1);

/** Writes `text` into the low bits of `bytes` starting at sample `startSample`. */
export function embedText(bytes: Buffer, format: AudioFormat, text: string, startSample = 0): void {
  const step = stride(format);
  let at = startSample * step;
  for (const byte of payload(text)) {
    for (let bit = 7; bit >= 0; bit--) {
      if (at >= bytes.length) return;
      bytes[at] = ((bytes[at] as number) & 0xfe) | ((byte >> bit) & 1);
      at += step;
    }
  }
}

/** The marker as one 32-bit word, compared against a rolling window of the last 32 carrier bits. */
const MARKER_WORD =
  (((MARKER[0] as number) << 24) |
    ((MARKER[1] as number) << 16) |
    ((MARKER[2] as number) << 8) |
    (MARKER[3] as number)) >>>
  0;

/**
 * Every text carried in `bytes`, in order (exported as `transcriptsInAudio`).
 *
 * @example
 * transcriptsInAudio(speechAudio("hi"), "audio/pcm") // ["hi"]
 */
export function extractTexts(bytes: Uint8Array, format: AudioFormat): string[] {
  const step = stride(format);
  const n = Math.floor(bytes.length / step);
  const bitAt = (i: number) => (bytes[i * step] as number) & 1;
  const byteAt = (bitIndex: number) => {
    let v = 0;
    for (let b = 0; b < 8; b++) v = (v << 1) | bitAt(bitIndex + b);
    return v;
  };
  const texts: string[] = [];
  // Hot path (every commit reads all the audio buffered since the last one, seconds of it): one shift and one
  // comparison per sample finds each marker, instead of reading 32 bits at every position.
  // The marker word's top bit is set, so the window can only equal it once 32 bits have come in since a reset.
  let window = 0;
  for (let j = 0; j < n; j++) {
    window = ((window << 1) | bitAt(j)) >>> 0;
    if (window !== MARKER_WORD) continue;
    const i = j - 31; // the marker's first bit
    if (i + 56 > n) break;
    const length = (byteAt(i + 32) << 8) | byteAt(i + 40);
    const end = i + 48 + length * 8 + 8;
    if (end > n) continue;
    const body: number[] = [];
    for (let k = 0; k < length; k++) body.push(byteAt(i + 48 + k * 8));
    const checksum = body.reduce((a, b) => (a + b) & 0xff, length & 0xff);
    if (checksum !== byteAt(i + 48 + length * 8)) continue;
    texts.push(Buffer.from(body).toString("utf8"));
    // The next text can start right after this one's checksum.
    j = end - 1;
    window = 0;
  }
  return texts;
}
