import { embedText } from "./carrier.ts";
import { type AudioFormat, bytesPerMs, encodeSamples, sampleRate } from "./formats.ts";
import { toneDurationMs, toneSamples } from "./tone-carrier.ts";
import { speechDurationMs } from "./voice.ts";

export interface SpeechAudioOptions {
  /** Wire format (default "audio/pcm", 24 kHz pcm16; "audio/pcmu" / "audio/pcma" are 8 kHz G.711). */
  format?: AudioFormat;
  /** Duration of the voiced part (default: 60 ms per character, at least 400 ms). */
  ms?: number;
  /** Silence before the voice (default 100 ms). */
  silenceBeforeMs?: number;
  /**
   * Silence after the voice (default 700 ms: longer than the default VAD silence, so server VAD ends the turn
   * by itself when the audio is streamed). Use 0 to end a turn with an explicit commit instead.
   */
  silenceAfterMs?: number;
  /**
   * How the text is carried (default "bits"): "bits" hides it in the samples' lowest bits (exact bytes only);
   * "tones" says it as a sequence of tones that survive resampling and level changes, for audio played through a
   * real audio stack such as a browser's fake microphone. With "tones" the voiced part lasts as long as the tones.
   */
  carrier?: "bits" | "tones";
}

/**
 * Audio for tests that "says" `text`: a voiced signal with real energy (server VAD detects it) that carries
 * `text` inaudibly in its lowest bits, so the local server transcribes it exactly. Returns the wire bytes;
 * send them with `input_audio_buffer.append` (base64), in one piece or in chunks (`audioChunks`).
 *
 * @example
 * const audio = speechAudio("book a room for two nights");
 * for (const chunk of audioChunks(audio)) ws.send(JSON.stringify({ type: "input_audio_buffer.append", audio: chunk }));
 */
export function speechAudio(text: string, options: SpeechAudioOptions = {}): Buffer {
  const format = options.format ?? "audio/pcm";
  const rate = sampleRate(format);
  const tones = options.carrier === "tones";
  const voicedMs = tones ? toneDurationMs(text) : (options.ms ?? speechDurationMs(text));
  const before = Math.round(((options.silenceBeforeMs ?? 100) * rate) / 1000);
  const voiced = Math.round((voicedMs * rate) / 1000);
  const after = Math.round(((options.silenceAfterMs ?? 700) * rate) / 1000);
  const samples = new Float64Array(before + voiced + after);
  if (tones) {
    samples.set(toneSamples(text, rate).subarray(0, voiced), before);
    return encodeSamples(format, samples);
  }
  for (let i = 0; i < voiced; i++) {
    const t = i / rate;
    // A voice-like tone whose loudness never drops to silence mid-utterance (so VAD keeps one turn).
    const envelope = 0.7 + 0.3 * Math.sin(2 * Math.PI * 3 * t);
    const fade = Math.min(1, i / (rate * 0.01), (voiced - i) / (rate * 0.01));
    samples[before + i] =
      12000 *
      envelope *
      fade *
      (Math.sin(2 * Math.PI * 160 * t) + 0.4 * Math.sin(2 * Math.PI * 320 * t));
  }
  const bytes = encodeSamples(format, samples);
  if (text) embedText(bytes, format, text, before);
  return bytes;
}

/**
 * Silence of a given length (for pauses between turns, or to let an idle timeout run).
 *
 * @example
 * ws.send(JSON.stringify({ type: "input_audio_buffer.append", audio: silenceAudio(500).toString("base64") }));
 */
export function silenceAudio(ms: number, format: AudioFormat = "audio/pcm"): Buffer {
  return encodeSamples(format, new Float64Array(Math.round((ms * sampleRate(format)) / 1000)));
}

/**
 * Splits wire audio into base64 chunks of `chunkMs` (default 100 ms) for `input_audio_buffer.append`.
 *
 * @example
 * for (const audio of audioChunks(speechAudio("hello"))) ws.send(JSON.stringify({ type: "input_audio_buffer.append", audio }));
 */
export function audioChunks(
  audio: Buffer,
  format: AudioFormat = "audio/pcm",
  chunkMs = 100,
): string[] {
  const size = Math.max(1, Math.round(chunkMs * bytesPerMs(format)));
  const out: string[] = [];
  for (let i = 0; i < audio.length; i += size)
    out.push(audio.subarray(i, i + size).toString("base64"));
  return out;
}
