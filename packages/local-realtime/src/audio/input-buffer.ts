import { type AudioFormat, bytesPerMs, decodeSamples, sampleRate } from "./formats.ts";
import { carriedTexts } from "./transcripts.ts";
import { EnergyVad, type TurnDetectionConfig, type VadEvent } from "./vad.ts";

/** A committed stretch of user audio: its duration and the transcript it carried (if any). */
export interface CommittedAudio {
  bytes: Buffer;
  ms: number;
  transcript: string | undefined;
}

/**
 * The input audio buffer of a session: appended audio not yet committed, a running clock of all audio received
 * (speech_started's `audio_start_ms` counts from the session's first audio), and the VAD when turn detection is on.
 */
export class InputAudioBuffer {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private totalBytes = 0;
  private vad: EnergyVad | undefined;

  constructor(private format: AudioFormat) {}

  /** Reconfigures format and turn detection (after session.update). */
  configure(format: AudioFormat, turnDetection: TurnDetectionConfig | null): void {
    if (format !== this.format) {
      this.format = format;
      this.clear();
    }
    this.vad = turnDetection
      ? new EnergyVad(turnDetection, sampleRate(format), this.receivedMs)
      : undefined;
  }

  /** True between speech_started and speech_stopped. */
  get inSpeech(): boolean {
    return this.vad?.inSpeech ?? false;
  }

  get receivedMs(): number {
    return Math.floor(this.totalBytes / bytesPerMs(this.format));
  }

  get bufferedMs(): number {
    return this.bytes / bytesPerMs(this.format);
  }

  /** Appends base64 audio; returns the VAD's speech starts and stops within it. */
  append(base64: string): VadEvent[] {
    const data = Buffer.from(base64, "base64");
    this.chunks.push(data);
    this.bytes += data.length;
    this.totalBytes += data.length;
    return this.vad ? this.vad.push(decodeSamples(this.format, data)) : [];
  }

  /** Takes everything buffered as one committed stretch and empties the buffer. */
  commit(): CommittedAudio {
    const bytes = Buffer.concat(this.chunks, this.bytes);
    const ms = this.bufferedMs;
    this.clear();
    const texts = carriedTexts(bytes, this.format);
    return { bytes, ms, transcript: texts.length ? texts.join(" ") : undefined };
  }

  clear(): void {
    this.chunks = [];
    this.bytes = 0;
  }
}
