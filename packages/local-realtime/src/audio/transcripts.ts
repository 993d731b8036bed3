import { extractTexts } from "./carrier.ts";
import { type AudioFormat, decodeSamples, sampleRate } from "./formats.ts";
import { readToneTexts } from "./tone-carrier.ts";

/**
 * The texts test audio carries, as the local server "hears" them: the low-bit carrier when the bytes came
 * straight from `speechAudio`, else the tone carrier (audio that went through a browser's microphone path).
 * Exported as `transcriptsInAudio`.
 *
 * @example
 * transcriptsInAudio(speechAudio("hi", { carrier: "tones" }), "audio/pcm") // ["hi"]
 */
export function carriedTexts(bytes: Uint8Array, format: AudioFormat): string[] {
  const texts = extractTexts(bytes, format);
  return texts.length ? texts : readToneTexts(decodeSamples(format, bytes), sampleRate(format));
}
