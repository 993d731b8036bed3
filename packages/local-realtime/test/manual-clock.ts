// A clock for tests that moves only when told to (the same idea as core's VirtualClock, which this package
// cannot import). advance() fires due timers in time order and lets I/O and promises settle after each.
import type { ServerClock } from "../src/clock.ts";

export class ManualClock implements ServerClock {
  #now = 0;
  #nextId = 1;
  #timers: Array<{ id: number; at: number; fn: () => void }> = [];

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = due.at;
      due.fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.#now = end;
  }
}
