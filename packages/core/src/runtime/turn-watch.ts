/**
 * Says when the session has just become idle (the `idle` event): looked at once the current step is over (a
 * microtask later, so an output and the answer it schedules right after it count together).
 */
const settled = Promise.resolve();

export class TurnWatch {
  readonly #busy: () => boolean;
  readonly #open: () => boolean;
  readonly #idle: () => void;
  /** A turn check is scheduled. */
  #scheduled = false;
  /** `idle` was said and the session has not been seen busy since. */
  #said = false;

  constructor(deps: { busy(): boolean; open(): boolean; idle(): void }) {
    this.#busy = deps.busy;
    this.#open = deps.open;
    this.#idle = deps.idle;
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
      if (this.#busy()) this.#said = false;
      else if (!this.#said && this.#open()) {
        this.#said = true;
        this.#idle();
      }
    });
  }
}
