import { type AudioFormat, bytesPerMs, encodeSamples, sampleRate } from "./formats.ts";

/**
 * A speech-like signal with real energy: a 140 Hz voice with harmonics under a 4 Hz syllable envelope, so a
 * client's level meter or VAD sees "speech". Synthesized once per format (one second, looped) and sliced, so
 * streaming audio to hundreds of sessions costs almost no CPU.
 */
const loops = new Map<AudioFormat, Buffer>();

function loopFor(format: AudioFormat): Buffer {
  let loop = loops.get(format);
  if (!loop) {
    const rate = sampleRate(format);
    const samples = new Float64Array(rate);
    for (let i = 0; i < rate; i++) {
      const t = i / rate;
      const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
      const wave =
        Math.sin(2 * Math.PI * 140 * t) +
        0.5 * Math.sin(2 * Math.PI * 280 * t) +
        0.25 * Math.sin(2 * Math.PI * 420 * t);
      samples[i] = 6000 * envelope * wave;
    }
    loop = encodeSamples(format, samples);
    loops.set(format, loop);
  }
  return loop;
}

const chunkCache = new Map<string, string>();

/**
 * The base64 audio for `ms` milliseconds of the voice starting `offsetMs` into an utterance.
 * Whole-millisecond slices of the one-second loop are cached.
 */
export function voiceChunk(format: AudioFormat, offsetMs: number, ms: number): string {
  const key = `${format}:${offsetMs % 1000}:${ms}`;
  let cached = chunkCache.get(key);
  if (cached === undefined) {
    const loop = loopFor(format);
    const per = bytesPerMs(format);
    const out = Buffer.alloc(Math.round(ms * per));
    let src = Math.round((offsetMs % 1000) * per);
    for (let i = 0; i < out.length; i++) {
      out[i] = loop[src] as number;
      src = (src + 1) % loop.length;
    }
    cached = out.toString("base64");
    if (chunkCache.size < 4096) chunkCache.set(key, cached);
  }
  return cached;
}

/** How long the simulated voice takes to say `text`: 60 ms per character, at least 400 ms, divided by `speed`. */
export function speechDurationMs(text: string, speed = 1): number {
  return Math.round(Math.max(400, [...text].length * 60) / (speed > 0 ? speed : 1));
}
