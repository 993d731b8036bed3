import { payload } from "./carrier.ts";

/**
 * A transcript carried as tones, for audio that goes through a real audio stack (a browser's microphone path
 * resamples 44.1 kHz to 24 kHz and converts to float and back, which wipes out the low-bit carrier of
 * carrier.ts). Each 4-bit nibble of the same payload (marker, length, UTF-8 text, checksum) is one 20 ms tone,
 * 100 Hz apart from 600 Hz: resampling keeps frequencies, level changes keep which tone is loudest, and the tones
 * have real energy, so server VAD hears one continuous turn. A nibble equal to the one before is sent as a 17th
 * "same again" tone, so no two symbols in a row share a tone: the reader finds symbols by where the tone changes,
 * not by a clock, and a busy machine's audio thread that drops or repeats a few milliseconds does not derail it.
 */
const SYMBOL_MS = 20;
const BASE_HZ = 600;
const STEP_HZ = 100;
const AMPLITUDE = 9000;
// A window counts as a tone when that tone holds at least this share of its energy (a pure tone holds ~1).
const MIN_SHARE = 0.45;
// The reader classifies a window every eighth of a symbol.
const STEPS_PER_SYMBOL = 8;
// A tone must win this many steps in a row to count (a symbol wins about six; a boundary none or one).
const MIN_RUN = 2;
// This many symbols' worth of no tone ends an utterance.
const GAP_SYMBOLS = 3;
const SAME_AGAIN = 16;
const TONES = 17;

const toneHz = (nibble: number) => BASE_HZ + STEP_HZ * nibble;

/** The nibbles of a text's payload, high nibble first. */
function nibbles(text: string): number[] {
  return payload(text).flatMap((byte) => [byte >> 4, byte & 0xf]);
}

/** The tones for a text: its nibbles, with SAME_AGAIN for a nibble that repeats the one before. */
function tones(text: string): number[] {
  const out: number[] = [];
  let previous = -1;
  for (const nibble of nibbles(text)) {
    out.push(nibble === previous && out.at(-1) !== SAME_AGAIN ? SAME_AGAIN : nibble);
    previous = nibble;
  }
  return out;
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
  const symbols = tones(text);
  const out = new Float64Array(symbols.length * perSymbol);
  let phase = 0;
  let at = 0;
  for (const tone of symbols) {
    const step = (2 * Math.PI * toneHz(tone)) / rate;
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

/** The tone a window holds, or −1 when it is not one clear tone. */
function symbolAt(samples: Int16Array, start: number, n: number, rate: number): number {
  const energy = energyOf(samples, start, n);
  if (isQuiet(energy, n)) return -1;
  let best = -1;
  let bestPower = 0;
  for (let k = 0; k < TONES; k++) {
    const p = power(samples, start, n, toneHz(k), rate);
    if (p > bestPower) {
      bestPower = p;
      best = k;
    }
  }
  // A pure tone's Goertzel power is (A·n/2)² and its energy A²·n/2, so the share is 1.
  return bestPower / ((n / 2) * energy) >= MIN_SHARE ? best : -1;
}

/**
 * The tone sequences in per-step classifications: runs of one tone are one symbol (neighbours never share a tone,
 * so runs of the same tone split by a glitch are one symbol too); a long stretch of no tone ends a sequence.
 */
function toneSequences(steps: number[]): number[][] {
  const sequences: number[][] = [];
  let current: number[] = [];
  let quiet = 0;
  for (let j = 0; j < steps.length; ) {
    let k = j;
    while (k < steps.length && steps[k] === steps[j]) k++;
    const tone = steps[j] as number;
    const run = k - j;
    j = k;
    if (tone < 0 || run < MIN_RUN) {
      quiet += run;
      if (quiet >= GAP_SYMBOLS * STEPS_PER_SYMBOL && current.length) {
        sequences.push(current);
        current = [];
      }
      continue;
    }
    quiet = 0;
    if (current.at(-1) !== tone) current.push(tone);
  }
  if (current.length) sequences.push(current);
  return sequences;
}

/** Nibbles from tones: SAME_AGAIN repeats the nibble before. */
function nibblesOf(sequence: number[]): number[] {
  const out: number[] = [];
  for (const tone of sequence) out.push(tone === SAME_AGAIN ? (out.at(-1) ?? -1) : tone);
  return out;
}

/** Texts whose payloads appear in one nibble sequence. */
function readNibbles(symbols: number[]): string[] {
  const marker = nibbles("").slice(0, 8);
  const byteAt = (i: number) => {
    const hi = symbols[i] ?? -1;
    const lo = symbols[i + 1] ?? -1;
    return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
  };
  const found: string[] = [];
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
    found.push(Buffer.from(body).toString("utf8"));
    i += 12 + 2 * length;
  }
  return found;
}

/**
 * Every text carried as tones in `samples` (at `rate` Hz), in order. A cheap look for the marker's first tone
 * skips audio that carries none (most audio); then a half-symbol window is classified every eighth of a symbol.
 *
 * @example
 * readToneTexts(decodeSamples("audio/pcm", speechAudio("hi", { carrier: "tones" })), 24000) // ["hi"]
 */
export function readToneTexts(samples: Int16Array, rate: number): string[] {
  const symbol = (rate * SYMBOL_MS) / 1000;
  // Half-symbol windows (still 100 Hz apart in frequency): a symbol a glitch has shortened still fills some.
  const n = Math.round(symbol / 2);
  const first = nibbles("")[0] as number;
  let seen = false;
  for (let at = 0; at + n <= samples.length && !seen; at += n >> 1)
    seen = holdsTone(samples, at, n, rate, first);
  if (!seen) return [];
  const step = symbol / STEPS_PER_SYMBOL;
  const steps: number[] = [];
  for (let at = 0; at + n <= samples.length; at += step)
    steps.push(symbolAt(samples, Math.round(at), n, rate));
  return toneSequences(steps).flatMap((sequence) => readNibbles(nibblesOf(sequence)));
}
