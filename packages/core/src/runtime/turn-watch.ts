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

export class TurnWatch {
  readonly #d: TurnWatchDeps;
  /** A turn check is scheduled. */
  #scheduled = false;
  /** `idle` was said and the session has not been seen busy since. */
  #said = false;

  /** `deps` is kept and its methods called on it (an object of prototype methods fits: no closure per session). */
  constructor(deps: TurnWatchDeps) {
    this.#d = deps;
  }

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
      if (this.#d.busy()) this.#said = false;
      else if (!this.#said && this.#d.open()) {
        this.#said = true;
        this.#d.idle();
      }
    });
  }
}
