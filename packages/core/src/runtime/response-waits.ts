import type { Clock, TimerHandle } from "../clock/index.ts";
import type { Logger } from "../log/index.ts";

/** What waits for a live response to be done (the scheduler's answer for the calls that response asked). */
export class DoneWaiters {
  #after: Map<string, (() => void)[]> | undefined;
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  add(responseId: string, fn: () => void): void {
    const waiting = this.#after?.get(responseId);
    if (waiting) waiting.push(fn);
    else this.#afterOf().set(responseId, [fn]);
  }

  /** The response is done (or given up): its waiters run once; one that throws does not stop the others. */
  finished(responseId: string): void {
    const waiting = this.#after?.get(responseId);
    if (!waiting) return;
    this.#after?.delete(responseId);
    for (const fn of waiting) {
      try {
        fn();
      } catch (error) {
        this.#log.warn("a wait for response.done threw", { id: responseId, error });
      }
    }
  }

  clear(): void {
    this.#after?.clear();
  }

  /** `#after`, made on the first write (most sessions never write to it). */
  #afterOf(): Map<string, (() => void)[]> {
    this.#after ??= new Map();
    return this.#after;
  }
}

/**
 * The hold between the user's `speech_stopped` and the response the server creates on VAD: our requests wait that
 * long at most (the server may decide not to answer: empty audio, or `create_response` turned off).
 */
export class ServerResponseHold {
  readonly #clock: Clock;
  readonly #ms: number;
  readonly #over: () => void;
  #timer: TimerHandle | undefined;

  constructor(clock: Clock, ms: number, over: () => void) {
    this.#clock = clock;
    this.#ms = ms;
    this.#over = over;
  }

  get holding(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    this.clear();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#over();
    }, this.#ms);
  }

  clear(): void {
    if (this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
