import type { RealtimeAudioInputTurnDetection } from "openai/resources/realtime/realtime";

/** Turn detection settings as the session holds them (GA `audio.input.turn_detection`). */
export type TurnDetectionConfig = RealtimeAudioInputTurnDetection;

export type VadEvent = { type: "start"; ms: number } | { type: "stop"; ms: number };

const FRAME_MS = 10;
// Two voiced frames in a row start speech, so a click does not.
const START_FRAMES = 2;
// semantic_vad has no model here: eagerness maps to a silence length.
const SEMANTIC_SILENCE_MS = { low: 800, medium: 500, auto: 500, high: 250 } as const;

/**
 * Energy VAD over 10 ms frames. Its times are the API's: a start is reported `prefix_padding_ms` before the first
 * voiced frame (the audio sent to the model includes the padding), a stop `silence_duration_ms` after the last
 * voiced frame (the audio includes the silence). `threshold` (0–1, default 0.5) maps to an RMS level on a log scale,
 * from −60 dBFS (0) to −10 dBFS (1): 0.5 is −35 dBFS. Speech stops after `silence_duration_ms` of frames below it.
 */
export class EnergyVad {
  private readonly level: number;
  readonly silenceMs: number;
  private readonly prefixMs: number;
  private readonly frame: number;
  // The frame being filled (a chunk need not end on a frame boundary).
  private frameSum = 0;
  private frameCount = 0;
  private frames = 0;
  private voicedRun = 0;
  private silentRun = 0;
  private speaking = false;
  private lastVoicedEndMs = 0;

  constructor(config: TurnDetectionConfig, rate: number, startMs = 0) {
    const threshold = config.type === "server_vad" ? (config.threshold ?? 0.5) : 0.5;
    this.level = 32768 * 10 ** ((-60 + 50 * threshold) / 20);
    this.silenceMs =
      config.type === "server_vad"
        ? (config.silence_duration_ms ?? 200)
        : SEMANTIC_SILENCE_MS[config.eagerness ?? "auto"];
    this.prefixMs = config.type === "server_vad" ? (config.prefix_padding_ms ?? 300) : 0;
    this.frame = (rate * FRAME_MS) / 1000;
    this.frames = Math.floor(startMs / FRAME_MS);
  }

  get inSpeech(): boolean {
    return this.speaking;
  }

  /** Feeds samples; returns the speech starts and stops they contain (ms since the session's first audio). */
  push(samples: Int16Array): VadEvent[] {
    const events: VadEvent[] = [];
    // Hot path (every appended chunk of every session): sums in locals, one frame decision per 10 ms.
    let sum = this.frameSum;
    let count = this.frameCount;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as number;
      sum += s * s;
      if (++count < this.frame) continue;
      this.decide(Math.sqrt(sum / count) >= this.level, events);
      sum = 0;
      count = 0;
    }
    this.frameSum = sum;
    this.frameCount = count;
    return events;
  }

  private decide(voiced: boolean, events: VadEvent[]): void {
    const startMs = this.frames * FRAME_MS;
    this.frames++;
    if (voiced) {
      this.voicedRun++;
      this.silentRun = 0;
      this.lastVoicedEndMs = startMs + FRAME_MS;
      if (!this.speaking && this.voicedRun >= START_FRAMES) {
        this.speaking = true;
        const voicedFrom = startMs - (START_FRAMES - 1) * FRAME_MS;
        events.push({ type: "start", ms: Math.max(0, voicedFrom - this.prefixMs) });
      }
    } else {
      this.voicedRun = 0;
      this.silentRun++;
      if (this.speaking && this.silentRun * FRAME_MS >= this.silenceMs) {
        this.speaking = false;
        events.push({ type: "stop", ms: this.lastVoicedEndMs + this.silenceMs });
      }
    }
  }
}
