import type { Clock, TimerHandle } from "../clock/index.ts";

/**
 * The run deadlines of a scheduler's calls, on one timer: a call only notes its deadline, and the timer is armed for
 * the earliest one and re-armed when it fires. A call that ends just forgets its deadline, so a turn's call costs no
 * timer work (a Timeout object, its async hooks and its list, armed and cleared per call) unless its deadline comes
 * before the one the timer waits for. Expiry is exact: the timer fires at the earliest deadline still noted.
 */
export class CallDeadlines<C> {
  readonly #clock: Clock;
  readonly #expired: (call: C) => void;
  readonly #due = new Map<C, number>();
  #timer: TimerHandle | undefined;
  /** Clock time the timer fires at (meaningful while it is armed). */
  #timerAt = 0;

  constructor(clock: Clock, expired: (call: C) => void) {
    this.#clock = clock;
    this.#expired = expired;
  }

  /** Notes that `call` times out `ms` from now. */
  add(call: C, ms: number): void {
    const at = this.#clock.now() + ms;
    this.#due.set(call, at);
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#arm(at, ms);
  }

  /** The call ended: its deadline no longer applies. */
  remove(call: C): void {
    this.#due.delete(call);
  }

  /** No more calls (the scheduler closed): the timer goes. */
  stop(): void {
    this.#due.clear();
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(at: number, ms: number): void {
    this.#timerAt = at;
    this.#timer = this.#clock.setTimeout(() => this.#fired(), Math.max(0, ms));
  }

  #fired(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    // In the order they were noted, as their own timers would have fired.
    for (const [call, at] of [...this.#due]) {
      if (at > now || this.#due.get(call) !== at) continue;
      this.#due.delete(call);
      this.#expired(call);
    }
    if (this.#timer !== undefined) return; // an expiry's handling noted an earlier deadline and armed it
    let next = Number.POSITIVE_INFINITY;
    for (const at of this.#due.values()) next = Math.min(next, at);
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next, next - now);
  }
}
