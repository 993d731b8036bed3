import type { Clock, TimerHandle } from "./clock.ts";

/** Something waiting for a time on a clock: `due()` runs once, when `clock.now()` has reached `dueAt`. */
export interface Deadline {
  /** Set by `Deadlines.arm`; read by the shared timer. */
  dueAt: number;
  due(): void;
}

/**
 * The long waits every open session has (the keepalive's silence check, the recycle before the API's hour cap),
 * on one timer per clock instead of one per session: a pending Node timer with its callback closure costs an idle
 * session ~250 bytes, an entry here a few dozen. The timer is set for the earliest deadline; when it fires, every
 * deadline reached runs (in the order armed) and the timer is set for the next. With no deadline left no timer is
 * pending, so a virtual clock shows none and nothing keeps the process alive.
 *
 * @example
 * const deadlines = deadlinesOf(clock);
 * deadlines.arm(keepalive, 15_000); // keepalive.due() runs 15 s from now unless disarmed or re-armed first
 */
export class Deadlines {
  readonly #clock: Clock;
  readonly #waiting = new Set<Deadline>();
  #timer: TimerHandle | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** `d.due()` runs `ms` from now (instead of when it was due, if it was armed already). */
  arm(d: Deadline, ms: number): void {
    // Whole milliseconds (rounded up: never due early): a small integer is stored in the object itself, where a
    // fractional time is a 16-byte heap number per waiting session. Small means below 2^31: once the clock passes
    // it (~24.8 days of process uptime on the system clock) whole times are heap numbers too (48 B → 64 B measured).
    d.dueAt = Math.ceil(this.#clock.now() + Math.max(0, ms));
    // Re-armed, it goes to the end: the order deadlines reached together run in is the order they were armed.
    this.#waiting.delete(d);
    this.#waiting.add(d);
    if (d.dueAt < this.#timerAt) this.#schedule(d.dueAt);
  }

  /** `d.due()` will not run (until armed again). */
  disarm(d: Deadline): void {
    if (!this.#waiting.delete(d) || this.#waiting.size > 0) return;
    this.#clear();
  }

  /** How many deadlines wait (for tests). */
  get size(): number {
    return this.#waiting.size;
  }

  #clear(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #schedule(at: number): void {
    this.#clear();
    this.#timerAt = at;
    this.#timer = this.#clock.setTimeout(() => this.#fire(), at - this.#clock.now());
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = this.#clock.now();
    const reached: Deadline[] = [];
    for (const d of this.#waiting) if (d.dueAt <= now) reached.push(d);
    for (const d of reached) this.#waiting.delete(d);
    for (const d of reached) {
      try {
        d.due();
      } catch (error) {
        // As from a timer of its own: the error is uncaught, and the other deadlines still run.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    let next = Number.POSITIVE_INFINITY;
    for (const d of this.#waiting) if (d.dueAt < next) next = d.dueAt;
    // A real timer can fire a fraction of a millisecond before `performance.now()` reaches its deadline.
    if (next < this.#timerAt && next !== Number.POSITIVE_INFINITY) this.#schedule(next);
  }
}

const perClock = new WeakMap<Clock, Deadlines>();

/** The one `Deadlines` of `clock`. */
export function deadlinesOf(clock: Clock): Deadlines {
  let d = perClock.get(clock);
  if (!d) {
    d = new Deadlines(clock);
    perClock.set(clock, d);
  }
  return d;
}
