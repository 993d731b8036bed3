/** A timer handle returned by a Clock. Opaque to callers. */
export type TimerHandle = { readonly __timer: unique symbol } | NodeJS.Timeout;

/**
 * Time, injected. Everything in core that waits (timeouts, fillers, approval deadlines) reads a Clock,
 * so tests can swap in a virtual one and be exact and instant.
 */
export interface Clock {
  /** Milliseconds, monotonic within one clock. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: performance.now() and unref'd timers (a pending filler never keeps the process alive). */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
