import { payload } from "./carrier.ts";

/**
 * A transcript carried as tones, for audio that goes through a real audio stack (a browser's microphone path
 * resamples 44.1 kHz to 24 kHz and converts to float and back, which wipes out the low-bit carrier of
 * carrier.ts). Each 4-bit nibble of the same payload (marker, length, UTF-8 text, checksum) is one 20 ms tone of
 * 16 frequencies, 100 Hz apart from 600 Hz: resampling keeps frequencies, level changes keep which tone is
 * loudest, and the tones have real energy, so server VAD hears one continuous turn.
 */
const SYMBOL_MS = 20;
const BASE_HZ = 600;
const STEP_HZ = 100;
const AMPLITUDE = 9000;
// A window counts as a tone when that tone holds at least this share of its energy (a pure tone holds ~1).
const MIN_SHARE = 0.45;
// Candidate symbol alignments tried when reading (an eighth of a symbol apart).
const PHASES = 8;

const toneHz = (nibble: number) => BASE_HZ + STEP_HZ * nibble;

/** The nibbles of a text's payload, high nibble first. */
function nibbles(text: string): number[] {
  return payload(text).flatMap((byte) => [byte >> 4, byte & 0xf]);
}

/** How long the tones for `text` last, in ms. */
export function toneDurationMs(text: string): number {
  return nibbles(text).length * SYMBOL_MS;
}

/**
 * Linear samples (−32768…32767) at `rate` that say `text` as tones; the phase runs on across symbols, so there
 * are no clicks between them.
 */
export function toneSamples(text: string, rate: number): Float64Array {
  const perSymbol = Math.round((rate * SYMBOL_MS) / 1000);
  const symbols = nibbles(text);
  const out = new Float64Array(symbols.length * perSymbol);
  let phase = 0;
  let at = 0;
  for (const nibble of symbols) {
    const step = (2 * Math.PI * toneHz(nibble)) / rate;
    for (let i = 0; i < perSymbol; i++) {
      out[at++] = AMPLITUDE * Math.sin(phase);
      phase += step;
    }
  }
  const fade = Math.round(rate * 0.005);
  for (let i = 0; i < fade && i < out.length; i++) {
    out[i] = (out[i] as number) * (i / fade);
    out[out.length - 1 - i] = (out[out.length - 1 - i] as number) * (i / fade);
  }
  return out;
}

/** Goertzel power of `hz` over `n` samples from `start`. */
function power(samples: Int16Array, start: number, n: number, hz: number, rate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + n; i++) {
    const s0 = (samples[i] as number) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

function energyOf(samples: Int16Array, start: number, n: number): number {
  let energy = 0;
  for (let i = start; i < start + n; i++) energy += (samples[i] as number) ** 2;
  return energy;
}

// Quieter than −40 dBFS: silence, not a tone.
const isQuiet = (energy: number, n: number) => energy / n < 330 ** 2;

/** Whether a window is mostly the tone of `nibble` (one Goertzel: the cheap look before a full read). */
function holdsTone(samples: Int16Array, start: number, n: number, rate: number, nibble: number) {
  const energy = energyOf(samples, start, n);
  if (isQuiet(energy, n)) return false;
  return power(samples, start, n, toneHz(nibble), rate) / ((n / 2) * energy) >= MIN_SHARE;
}

/** The nibble a window holds, or −1 when it is not one clear tone. */
function symbolAt(samples: Int16Array, start: number, n: number, rate: number): number {
  const energy = energyOf(samples, start, n);
  if (isQuiet(energy, n)) return -1;
  let best = -1;
  let bestPower = 0;
  for (let k = 0; k < 16; k++) {
    const p = power(samples, start, n, toneHz(k), rate);
    if (p > bestPower) {
      bestPower = p;
      best = k;
    }
  }
  // A pure tone's Goertzel power is (A·n/2)² and its energy A²·n/2, so the share is 1.
  return bestPower / ((n / 2) * energy) >= MIN_SHARE ? best : -1;
}

/** Texts whose payloads appear in one symbol sequence, with the symbol index each starts at. */
function readSymbols(symbols: number[]): Array<{ index: number; text: string }> {
  const marker = nibbles("").slice(0, 8);
  const byteAt = (i: number) => {
    const hi = symbols[i] ?? -1;
    const lo = symbols[i + 1] ?? -1;
    return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
  };
  const found: Array<{ index: number; text: string }> = [];
  for (let i = 0; i + 14 <= symbols.length; i++) {
    if (marker.some((m, k) => symbols[i + k] !== m)) continue;
    const hi = byteAt(i + 8);
    const lo = byteAt(i + 10);
    if (hi < 0 || lo < 0) continue;
    const length = (hi << 8) | lo;
    const body: number[] = [];
    for (let k = 0; k < length; k++) body.push(byteAt(i + 12 + 2 * k));
    const checksum = byteAt(i + 12 + 2 * length);
    if (body.some((b) => b < 0) || checksum < 0) continue;
    if (checksum !== body.reduce((a, b) => (a + b) & 0xff, length & 0xff)) continue;
    found.push({ index: i, text: Buffer.from(body).toString("utf8") });
    i += 12 + 2 * length;
  }
  return found;
}

/**
 * Every text carried as tones in `samples` (at `rate` Hz), in order. Alignment is unknown, so the windows are
 * read at eight offsets; a cheap look for the marker's first tone skips audio that carries none (most audio).
 *
 * @example
 * readToneTexts(decodeSamples("audio/pcm", speechAudio("hi", { carrier: "tones" })), 24000) // ["hi"]
 */
export function readToneTexts(samples: Int16Array, rate: number): string[] {
  const n = Math.round((rate * SYMBOL_MS) / 1000);
  const first = nibbles("")[0] as number;
  let seen = false;
  for (let at = 0; at + n <= samples.length && !seen; at += n >> 1)
    seen = holdsTone(samples, at, n, rate, first);
  if (!seen) return [];
  const hits: Array<{ sample: number; text: string }> = [];
  for (let p = 0; p < PHASES; p++) {
    const offset = Math.round((p * n) / PHASES);
    const symbols: number[] = [];
    for (let at = offset; at + n <= samples.length; at += n)
      symbols.push(symbolAt(samples, at, n, rate));
    for (const { index, text } of readSymbols(symbols)) {
      const sample = offset + index * n;
      // Neighbouring offsets read the same utterance: keep one.
      if (!hits.some((h) => Math.abs(h.sample - sample) < n)) hits.push({ sample, text });
    }
  }
  return hits.sort((a, b) => a.sample - b.sample).map((h) => h.text);
}
