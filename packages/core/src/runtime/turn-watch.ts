/**
 * Says when the session has just become idle (the `idle` event): looked at once the current step is over (a
 * microtask later, so an output and the answer it schedules right after it count together).
 */
const settled = Promise.resolve();

const SCHEDULED = 1;
const SAID = 2;

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
  // Two flags in one field (the session holds it): SCHEDULED, a turn check is scheduled; SAID, `idle` was said and
  // the session has not been seen busy since.
  #turnFlags = 0;

  abstract busy(): boolean;
  abstract open(): boolean;
  abstract idle(): void;

  /** A new turn began (the user's, a restore): the next idle is news again. */
  userTurn(): void {
    this.#turnFlags &= ~SAID;
  }

  check(): void {
    if (this.#turnFlags & SCHEDULED) return;
    this.#turnFlags |= SCHEDULED;
    // A resolved promise's then: a microtask like queueMicrotask, without the AsyncResource Node makes for each.
    settled.then(() => {
      this.#turnFlags &= ~SCHEDULED;
      if (this.busy()) this.#turnFlags &= ~SAID;
      else if (!(this.#turnFlags & SAID) && this.open()) {
        this.#turnFlags |= SAID;
        this.idle();
      }
    });
  }
}
