import type { Clock, TimerHandle } from "../clock/index.ts";
import { LazyMap } from "../collections/lazy.ts";

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
  timer: TimerHandle;
  stalled: boolean;
}

/**
 * Times the responses in progress and says when one went quiet: only the timing lives here; what a stall means
 * (cancel, give the slot back) is the response queue's call. One timer per response, re-armed only when it fires:
 * `touch` just stamps a time, so streaming events cost nothing.
 */
export class StallWatchdog {
  readonly #o: StallWatchdogOptions;
  readonly #watch = new LazyMap<string, Watch>();

  constructor(options: StallWatchdogOptions) {
    this.#o = options;
  }

  /** Starts timing a response that was just created. */
  watch(id: string): void {
    const ms = this.#o.stallMs;
    if (!(ms > 0)) return;
    this.stop(id);
    const watch: Watch = {
      last: this.#o.clock.now(),
      stalled: false,
      timer: undefined as unknown as TimerHandle,
    };
    watch.timer = this.#o.clock.setTimeout(() => this.#check(id, watch), ms);
    this.#watch.set(id, watch);
  }

  /** An event of the response arrived: its clock restarts. */
  touch(id: string): void {
    const watch = this.#watch.get(id);
    if (watch) watch.last = this.#o.clock.now();
  }

  stop(id: string): void {
    const watch = this.#watch.get(id);
    if (!watch) return;
    this.#o.clock.clearTimeout(watch.timer);
    this.#watch.delete(id);
  }

  stopAll(): void {
    for (const id of [...this.#watch.keys()]) this.stop(id);
  }

  #check(id: string, watch: Watch): void {
    if (this.#watch.get(id) !== watch) return;
    if (!this.#o.live(id)) {
      this.#watch.delete(id);
      return;
    }
    const { clock, stallMs } = this.#o;
    const idle = clock.now() - watch.last;
    if (!watch.stalled) {
      if (idle < stallMs) {
        watch.timer = clock.setTimeout(() => this.#check(id, watch), stallMs - idle);
        return;
      }
      watch.stalled = true;
      watch.timer = clock.setTimeout(() => this.#check(id, watch), this.#o.graceMs);
      this.#o.stalled(id, idle);
      return;
    }
    this.#watch.delete(id);
    this.#o.unconfirmed(id, idle);
  }
}
