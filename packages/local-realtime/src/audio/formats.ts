import { alawToLinear, linearToAlaw, linearToMulaw, mulawToLinear } from "./g711.ts";

/** The wire audio formats of the GA API. */
export type AudioFormat = "audio/pcm" | "audio/pcmu" | "audio/pcma";

/** Samples per second of a format: pcm16 is 24 kHz, G.711 is 8 kHz. */
export function sampleRate(format: AudioFormat): number {
  return format === "audio/pcm" ? 24000 : 8000;
}

/** Bytes per millisecond: 48 for pcm16 (2 bytes × 24 kHz), 8 for G.711. */
export function bytesPerMs(format: AudioFormat): number {
  return format === "audio/pcm" ? 48 : 8;
}

export function durationMs(format: AudioFormat, bytes: number): number {
  return bytes / bytesPerMs(format);
}

/** Encodes linear samples (−32768…32767) to the wire bytes of a format. */
export function encodeSamples(format: AudioFormat, samples: ArrayLike<number>): Buffer {
  if (format === "audio/pcm") {
    const out = Buffer.alloc(samples.length * 2);
    for (let i = 0; i < samples.length; i++)
      out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i] as number))), i * 2);
    return out;
  }
  const encode = format === "audio/pcmu" ? linearToMulaw : linearToAlaw;
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = encode(samples[i] as number);
  return out;
}

/** Decodes wire bytes to linear samples. */
export function decodeSamples(format: AudioFormat, bytes: Uint8Array): Int16Array {
  if (format === "audio/pcm") {
    const n = bytes.length >> 1;
    // pcm16 is little-endian, as are the machines Node runs on: view the bytes directly when aligned.
    if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, n);
    return new Int16Array(Uint8Array.prototype.slice.call(bytes, 0, n * 2).buffer);
  }
  const decode = format === "audio/pcmu" ? mulawToLinear : alawToLinear;
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = decode(bytes[i] as number);
  return out;
}

export function asAudioFormat(type: string | undefined): AudioFormat {
  return type === "audio/pcmu" || type === "audio/pcma" ? type : "audio/pcm";
}
