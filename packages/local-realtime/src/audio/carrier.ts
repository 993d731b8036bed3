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
  for (let i = 0; i + 56 <= n; i++) {
    if (
      byteAt(i) !== MARKER[0] ||
      byteAt(i + 8) !== MARKER[1] ||
      byteAt(i + 16) !== MARKER[2] ||
      byteAt(i + 24) !== MARKER[3]
    )
      continue;
    const length = (byteAt(i + 32) << 8) | byteAt(i + 40);
    const end = i + 48 + length * 8 + 8;
    if (end > n) continue;
    const body: number[] = [];
    for (let k = 0; k < length; k++) body.push(byteAt(i + 48 + k * 8));
    const checksum = body.reduce((a, b) => (a + b) & 0xff, length & 0xff);
    if (checksum !== byteAt(i + 48 + length * 8)) continue;
    texts.push(Buffer.from(body).toString("utf8"));
    i = end - 1;
  }
  return texts;
}
