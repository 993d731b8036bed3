/** A fixed one-minute window per client key: at most `perMinute` hits, then `retryAfterS` until the window turns. */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; hits: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit; returns 0 when allowed, else the seconds to wait. */
  hit(key: string): number {
    const now = this.now();
    let w = this.#windows.get(key);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, hits: 0 };
      this.#windows.set(key, w);
      // Keep the map small: forget windows that have turned.
      if (this.#windows.size > 10_000)
        for (const [k, old] of this.#windows)
          if (now - old.start >= 60_000) this.#windows.delete(k);
    }
    if (w.hits >= this.perMinute) return Math.ceil((w.start + 60_000 - now) / 1000);
    w.hits++;
    return 0;
  }
}

/** Remembers ids for a while (webhook ids, call ids): at-least-once delivery means the same one comes back. */
export class SeenIds {
  readonly #ids = new Map<string, number>();

  constructor(
    private readonly ttlMs = 24 * 3600_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `id` was already seen (and still remembered); records it otherwise. */
  check(id: string): boolean {
    const now = this.now();
    const at = this.#ids.get(id);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.#ids.set(id, now);
    if (this.#ids.size > 100_000)
      for (const [k, t] of this.#ids) if (now - t >= this.ttlMs) this.#ids.delete(k);
    return false;
  }

  forget(id: string): void {
    this.#ids.delete(id);
  }
}
