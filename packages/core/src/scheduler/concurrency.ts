import { LazyMap } from "../collections/lazy.ts";

interface Waiter {
  tool: string;
  limit: number;
  start: () => void;
}

/**
 * Slots for running calls: at most `limit(tool)` calls of one tool and `sessionLimit` calls in all run at once.
 * Waiters are served in order; a waiter whose tool is full does not block waiters of other tools, and a call never
 * overtakes an earlier waiting call of its own tool.
 */
export class ConcurrencyGate {
  readonly #sessionLimit: number;
  #running = 0;
  readonly #perTool = new LazyMap<string, number>();
  readonly #waitingPerTool = new LazyMap<string, number>();
  #waiters: Waiter[] = [];
  #draining = false;
  #again = false;

  constructor(sessionLimit = Number.POSITIVE_INFINITY) {
    this.#sessionLimit = sessionLimit;
  }

  /** Calls running now. */
  get running(): number {
    return this.#running;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Takes a slot now if one is free (returns true), otherwise queues `start` for when one frees (returns false). */
  acquire(tool: string, limit: number, start: () => void): boolean {
    if (this.#fits(tool, limit) && !this.#waitingPerTool.get(tool)) {
      this.#take(tool);
      return true;
    }
    this.#waiters.push({ tool, limit, start });
    this.#waitingPerTool.set(tool, (this.#waitingPerTool.get(tool) ?? 0) + 1);
    return false;
  }

  /** Withdraws a queued `start` (the call was cancelled while waiting). */
  withdraw(start: () => void): void {
    const i = this.#waiters.findIndex((w) => w.start === start);
    if (i >= 0) this.#remove(i);
  }

  /** Frees a slot taken by `acquire` and starts the waiters that now fit, in order. */
  release(tool: string): void {
    this.#running--;
    const left = (this.#perTool.get(tool) ?? 1) - 1;
    if (left === 0) this.#perTool.delete(tool);
    else this.#perTool.set(tool, left);
    this.#drain();
  }

  #fits(tool: string, limit: number): boolean {
    return this.#running < this.#sessionLimit && (this.#perTool.get(tool) ?? 0) < limit;
  }

  #take(tool: string): void {
    this.#running++;
    this.#perTool.set(tool, (this.#perTool.get(tool) ?? 0) + 1);
  }

  #remove(index: number): Waiter {
    const [w] = this.#waiters.splice(index, 1) as [Waiter];
    const n = (this.#waitingPerTool.get(w.tool) ?? 1) - 1;
    if (n === 0) this.#waitingPerTool.delete(w.tool);
    else this.#waitingPerTool.set(w.tool, n);
    return w;
  }

  #drain(): void {
    // Not re-entrant: a started call that ends at once releases its slot inside `start()`; the outer loop picks
    // that up instead of recursing (thousands of instant calls would otherwise overflow the stack).
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = true;
    try {
      do {
        this.#again = false;
        const blocked = new Set<string>();
        let i = 0;
        while (i < this.#waiters.length && this.#running < this.#sessionLimit) {
          const w = this.#waiters[i] as Waiter;
          if (blocked.has(w.tool) || !this.#fits(w.tool, w.limit)) {
            blocked.add(w.tool); // keeps per-tool order: later calls of a full tool wait too
            i++;
            continue;
          }
          this.#remove(i);
          this.#take(w.tool);
          w.start();
        }
      } while (this.#again);
    } finally {
      this.#draining = false;
    }
  }
}
