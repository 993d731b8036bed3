import type { Session, SessionClosed } from "@parley/core";

/** What serve logs when a call ends (one `call summary` line per call). */
export interface CallSummary {
  callId: string;
  kind: "sip" | "webrtc";
  agent: string;
  reason: SessionClosed["reason"] | "accept_failed";
  detail: string;
  durationMs: number;
  costUsd: number;
  /** User turns (speech or text) the agent heard. */
  turns: number;
  /** Tool calls by how they ended (completed, failed, timed_out, cancelled, rejected). */
  toolCalls: Record<string, number>;
  /** Webhook received → accept sent (SIP only). */
  acceptMs: number | null;
  /** Sideband attached → the agent's first audio (or text): the greeting's latency. */
  firstAudioMs: number | null;
  /** Median over turns of end of user input → first agent output, and → the actual answer (fillers excluded). */
  turnFirstAudioMs: number | null;
  turnAnswerMs: number | null;
  /** Per tool call with a filler: from the call's arrival to its first filler (the filler's `after` plus any lateness). */
  fillerDelaysMs: number[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

/** Follows a call's session and builds its summary from the session's own events. */
export class CallStats {
  readonly #started = performance.now();
  #firstAudio: number | null = null;
  #turns = 0;
  readonly #tools: Record<string, number> = {};
  readonly #firstAudioMs: number[] = [];
  readonly #answerMs: number[] = [];
  readonly #callAt = new Map<string, number>();
  readonly #fillerDelays: number[] = [];

  constructor(
    private readonly base: {
      callId: string;
      kind: "sip" | "webrtc";
      agent: string;
      acceptMs: number | null;
    },
  ) {}

  follow(session: Session): void {
    const first = () => {
      this.#firstAudio ??= performance.now() - this.#started;
    };
    session.on("agent.audio", first);
    session.on("agent.transcript.delta", first);
    session.on("tool.call", (e) => void this.#callAt.set(e.callId, e.at));
    session.on("tool.filler", (e) => {
      const at = this.#callAt.get(e.callId);
      if (at === undefined) return;
      this.#callAt.delete(e.callId); // the first filler only: later ones repeat on their own schedule
      this.#fillerDelays.push(Math.round(e.at - at));
    });
    session.on("tool.output", (e) => {
      this.#tools[e.state] = (this.#tools[e.state] ?? 0) + 1;
    });
    session.on("item.added", ({ item }) => {
      if (item.type === "message" && item.role === "user") this.#turns++;
    });
    session.on("latency", (l) => {
      if (l.firstAudioMs !== null) this.#firstAudioMs.push(l.firstAudioMs);
      if (l.firstAnswerMs !== null) this.#answerMs.push(l.firstAnswerMs);
    });
  }

  summary(reason: CallSummary["reason"], detail: string, costUsd: number): CallSummary {
    return {
      ...this.base,
      reason,
      detail,
      durationMs: Math.round(performance.now() - this.#started),
      costUsd,
      turns: this.#turns,
      toolCalls: { ...this.#tools },
      firstAudioMs: this.#firstAudio === null ? null : Math.round(this.#firstAudio),
      turnFirstAudioMs: median(this.#firstAudioMs),
      turnAnswerMs: median(this.#answerMs),
      fillerDelaysMs: [...this.#fillerDelays],
    };
  }
}
