/**
 * Slots for running calls: at most `limit(tool)` calls of one tool and `sessionLimit` calls in all run at once.
 * Waiters are served first-come first-served; a waiter whose tool is full does not block waiters of other tools.
 */
export class ConcurrencyGate {
  readonly #sessionLimit: number;
  #running = 0;
  readonly #perTool = new Map<string, number>();
  #waiters: { tool: string; limit: number; start: () => void }[] = [];

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
    if (this.#waiters.length === 0 && this.#fits(tool, limit)) {
      this.#take(tool);
      return true;
    }
    this.#waiters.push({ tool, limit, start });
    return false;
  }

  /** Withdraws a queued `start` (the call was cancelled while waiting). */
  withdraw(start: () => void): void {
    this.#waiters = this.#waiters.filter((w) => w.start !== start);
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

  #drain(): void {
    const started: (() => void)[] = [];
    this.#waiters = this.#waiters.filter((w) => {
      if (!this.#fits(w.tool, w.limit)) return true;
      this.#take(w.tool);
      started.push(w.start);
      return false;
    });
    // Start after the bookkeeping so a start that synchronously ends (and releases) sees a consistent gate.
    for (const start of started) start();
  }
}
