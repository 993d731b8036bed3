import type { TimerHandle } from "../clock/index.ts";
import type { SchedulerHost } from "./host.ts";

/**
 * One "answer" request for the outputs that land within `windowMs` of each other: calls that end together (two
 * handlers resolving a few ms apart, an interruption cancelling several) are spoken about in one response.
 */
export class AnswerCoalescer {
  readonly #host: SchedulerHost;
  readonly #windowMs: number;
  #timer: TimerHandle | undefined;
  #closed = false;

  constructor(host: SchedulerHost, windowMs: number) {
    this.#host = host;
    this.#windowMs = windowMs;
  }

  /** An answer is scheduled and not yet requested. */
  get pending(): boolean {
    return this.#timer !== undefined;
  }

  request(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = this.#host.clock.setTimeout(() => {
      this.#timer = undefined;
      if (!this.#closed) this.#host.responses.request({ kind: "answer" });
    }, this.#windowMs);
  }

  /** Drops a pending request: the session is ending. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.#host.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
