import type { ResponseRequest } from "../scheduler/host.ts";

/** One user turn's latency, from the end of the user's input. */
export interface TurnLatency {
  /** 1-based count of user turns in the session. */
  turn: number;
  /** To the first agent output (audio chunk, or text in a text-only session), filler or not. */
  firstAudioMs: number | null;
  /** To the first output of a response that is not a filler: the actual answer. Null when the turn was superseded. */
  firstAnswerMs: number | null;
}

/** Where a tracker reports: called as methods of the one object given (no closure per session). */
export interface LatencyHooks {
  emit(latency: TurnLatency): void;
  /** A user turn began (its 1-based number). */
  started?(turn: number): void;
}

/** Marks per turn: the end of user input (speech stopped, audio committed, text sent) to the agent's first output. */
export class LatencyTracker {
  #turn = 0;
  #start: number | undefined;
  #firstAudio: number | null = null;
  readonly #hooks: LatencyHooks;

  constructor(hooks: LatencyHooks) {
    this.#hooks = hooks;
  }

  userInputEnded(at: number): void {
    // A new turn before the last got its answer: report the unanswered one, then start over.
    if (this.#start !== undefined)
      this.#hooks.emit({ turn: this.#turn, firstAudioMs: this.#firstAudio, firstAnswerMs: null });
    this.#turn++;
    this.#start = at;
    this.#firstAudio = null;
    this.#hooks.started?.(this.#turn);
  }

  agentOutput(kind: ResponseRequest["kind"], at: number): void {
    if (this.#start === undefined) return;
    const since = at - this.#start;
    if (this.#firstAudio === null) this.#firstAudio = since;
    if (kind === "filler") return;
    this.#start = undefined;
    this.#hooks.emit({ turn: this.#turn, firstAudioMs: this.#firstAudio, firstAnswerMs: since });
  }
}
