import type { Clock, TimerHandle } from "../clock/index.ts";

/** Defaults of the stalled-response watchdog. */
export const DEFAULT_STALL_MS = 30_000;
export const DEFAULT_STALL_GRACE_MS = 5_000;

export interface StallWatchdogOptions {
  clock: Clock;
  /** No event for this long (ms) and a response is stalled; 0 (or less) turns the watchdog off. */
  stallMs: number;
  /** How long a stalled response gets to confirm its cancel with `response.done`. */
  graceMs: number;
  /** True while the response is still in progress (a watch of a finished one just goes away). */
  live(id: string): boolean;
  /** The response had no event for `idleMs`: the owner cancels it. */
  stalled(id: string, idleMs: number): void;
  /** Still nothing `graceMs` after the stall: the owner gives its slot back. */
  unconfirmed(id: string, idleMs: number): void;
}

interface Watch {
  /** Clock time of the response's latest event. */
  last: number;
  /** Clock time the stall was found (its grace runs from here); undefined while it is not stalled. */
  stalledAt: number | undefined;
}

/**
 * Times the responses in progress and says when one went quiet: only the timing lives here; what a stall means
 * (cancel, give the slot back) is the response queue's call. One timer for all the responses of a session, armed
 * while one is watched and re-armed only when it fires: `touch` just stamps a time and `stop` just forgets, so
 * streaming events and the responses of a turn cost no timer work (a Timeout object and its async hooks each).
 */
export class StallWatchdog {
  readonly #o: StallWatchdogOptions;
  readonly #watch = new Map<string, Watch>();
  #timer: TimerHandle | undefined;

  constructor(options: StallWatchdogOptions) {
    this.#o = options;
  }

  /** Starts timing a response that was just created. */
  watch(id: string): void {
    const ms = this.#o.stallMs;
    if (!(ms > 0)) return;
    this.#watch.set(id, { last: this.#o.clock.now(), stalledAt: undefined });
    // A timer already armed fires no later than this response's stall: it re-arms for the rest then.
    if (this.#timer === undefined) this.#arm(ms);
  }

  /** An event of the response arrived at clock time `at`: its clock restarts. */
  touch(id: string, at: number): void {
    const watch = this.#watch.get(id);
    if (watch) watch.last = at;
  }

  stop(id: string): void {
    this.#watch.delete(id);
  }

  stopAll(): void {
    this.#watch.clear();
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = this.#o.clock.setTimeout(() => this.#fired(), ms);
  }

  /** When each watched response is due: its stall (`last + stallMs`), or the end of its grace once stalled. */
  #dueAt(watch: Watch): number {
    return watch.stalledAt === undefined
      ? watch.last + this.#o.stallMs
      : watch.stalledAt + this.#o.graceMs;
  }

  #fired(): void {
    this.#timer = undefined;
    const now = this.#o.clock.now();
    for (const [id, watch] of [...this.#watch]) {
      if (this.#watch.get(id) !== watch) continue; // stopped or re-watched by an earlier one's handling
      if (!this.#o.live(id)) {
        this.#watch.delete(id);
        continue;
      }
      if (this.#dueAt(watch) > now) continue;
      const idle = now - watch.last;
      if (watch.stalledAt === undefined) {
        watch.stalledAt = now;
        this.#o.stalled(id, idle);
      } else {
        this.#watch.delete(id);
        this.#o.unconfirmed(id, idle);
      }
    }
    if (this.#timer !== undefined) return; // a watch() from a handler armed it already
    let next = Number.POSITIVE_INFINITY;
    for (const watch of this.#watch.values()) next = Math.min(next, this.#dueAt(watch));
    if (next !== Number.POSITIVE_INFINITY) this.#arm(Math.max(0, next - now));
  }
}
