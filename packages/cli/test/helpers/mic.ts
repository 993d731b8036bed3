// The fake microphone's recording for the console's browser tests: a person saying MIC_SAYS, as the local server's
// tone carrier (speech that survives the browser's resampling, which the server transcribes exactly), in a WAV
// file Chromium plays through `--use-file-for-fake-audio-capture`. The committed fixture is this function's output
// (mic.test.ts checks it); regenerate with `node --import tsx packages/cli/test/helpers/mic.ts`.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { silenceAudio, speechAudio } from "@parley/local-realtime";

export const MIC_SAYS = "hello from the microphone";
export const MIC_WAV = fileURLToPath(new URL("../fixtures/console/mic.wav", import.meta.url));
const RATE = 24000;

/** A RIFF/WAVE file around little-endian PCM16 mono samples. */
export function wavFile(pcm16: Buffer, rate = RATE): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + pcm16.length, 4);
  header.write("WAVEfmt ", 8, "ascii");
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // bytes per frame
  header.writeUInt16LE(16, 34); // bits per sample
  header.write("data", 36, "ascii");
  header.writeUInt32LE(pcm16.length, 40);
  return Buffer.concat([header, pcm16]);
}

/**
 * The recording: a pause (the page starts its audio graph as the microphone opens; a slow machine loses the first moments), the words, then silence longer than the
 * agent's VAD silence, so the turn ends by itself.
 */
export function micRecording(): Buffer {
  return wavFile(
    Buffer.concat([
      speechAudio(MIC_SAYS, { carrier: "tones", silenceBeforeMs: 1500, silenceAfterMs: 1500 }),
      silenceAudio(1000),
    ]),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(MIC_WAV, micRecording());
