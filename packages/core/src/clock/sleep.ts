// No imports: @parley/local-realtime (which does not depend on core) uses this file too, bundled into its own dist.

/** The timers a sleep needs: core's Clock and the local server's ServerClock both fit. */
export interface SleepTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: SleepTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Waits `ms` on `clock` (default real timers; pass a VirtualClock in tests). When `signal` aborts first (or has
 * already), the timer is cleared and the promise rejects with the signal's reason: the one abortable sleep of every
 * package (tool mocks, reconnect backoff, the local server's pacing).
 *
 * @example
 * await sleep(800, { signal: ctx.signal }); // a slow lookup that stops when the call is cancelled
 */
export function sleep(
  ms: number,
  options: { clock?: SleepTimers; signal?: AbortSignal | undefined } = {},
): Promise<void> {
  const { clock = realTimers, signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener("abort", aborted);
      resolve();
    }, ms);
    signal?.addEventListener("abort", aborted, { once: true });
  });
}
