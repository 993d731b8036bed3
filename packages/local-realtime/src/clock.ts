// One abortable sleep for every package: core's, bundled into this package (core is not a dependency).
import { sleep } from "../../core/src/clock/sleep.ts";

/**
 * Time as the server reads it. Structurally the same as `Clock` in @parley/core (which this package does not
 * depend on), so a test can pass core's `VirtualClock` and drive audio pacing, `wait` steps and fault latency
 * exactly and instantly.
 */
export interface ServerClock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** performance.now() and real timers. */
export const realClock: ServerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Resolves at `time` on `clock` (at once if it has passed) or when `signal` aborts. */
export function sleepUntil(clock: ServerClock, time: number, signal?: AbortSignal): Promise<void> {
  const ms = time - clock.now();
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  // An abort ends the wait early and is not an error here: the caller looks at its own signal.
  return sleep(ms, { clock, signal }).catch(() => {});
}
