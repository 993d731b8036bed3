/**
 * Says when the session has just become idle (the `idle` event): looked at once the current step is over (a
 * microtask later, so an output and the answer it schedules right after it count together).
 */
const settled = Promise.resolve();

export interface TurnWatchDeps {
  busy(): boolean;
  open(): boolean;
  idle(): void;
}

/**
 * The session extends it (compose.ts) and answers `busy`, `open` and `idle` itself: the watch's two flags are the
 * session's fields, not an object (and a reference to the session) of their own.
 */
export abstract class TurnWatch implements TurnWatchDeps {
  /** A turn check is scheduled. */
  #scheduled = false;
  /** `idle` was said and the session has not been seen busy since. */
  #said = false;

  abstract busy(): boolean;
  abstract open(): boolean;
  abstract idle(): void;

  /** A new turn began (the user's, a restore): the next idle is news again. */
  userTurn(): void {
    this.#said = false;
  }

  check(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // A resolved promise's then: a microtask like queueMicrotask, without the AsyncResource Node makes for each.
    settled.then(() => {
      this.#scheduled = false;
      if (this.busy()) this.#said = false;
      else if (!this.#said && this.open()) {
        this.#said = true;
        this.idle();
      }
    });
  }
}
