import type { CallBatch } from "./answers.ts";
import { assertTransition, type CallState, isTerminal } from "./call-state.ts";
import type { FillerPhase, FillerSubject, FillerTimer } from "./fillers.ts";

/** One tool call from its `function_call` item to its single output. State changes only through `moveTo`. */
export class Call implements FillerSubject {
  readonly id: string;
  readonly tool: string;
  readonly rawArguments: string;
  readonly receivedAt: number;
  /** Made when first asked for: most calls end without anyone reading their signal (an AbortController is costly). */
  #abort: AbortController | undefined;
  /** Why the call was aborted, kept for a signal first asked for after the abort. */
  #abortReason: unknown;
  #aborted = false;
  #state: CallState = "received";
  args: Record<string, unknown> | undefined;
  fingerprint: string | undefined;
  fillers: FillerTimer | undefined;
  /** Set while the call holds a concurrency slot. */
  holdsSlot = false;
  /** Set while the call waits for a slot: withdraws it from the gate. */
  startWhenFree: (() => void) | undefined;
  /** The calls of the same model response: answered together (see answers.ts). */
  batch: CallBatch | undefined;
  #progress: string | undefined;

  constructor(id: string, tool: string, rawArguments: string, receivedAt: number) {
    this.id = id;
    this.tool = tool;
    this.rawArguments = rawArguments;
    this.receivedAt = receivedAt;
  }

  /** The call's abort signal: aborted when the call ends other than completed (timeout, cancel, close). */
  get signal(): AbortSignal {
    if (!this.#abort) {
      this.#abort = new AbortController();
      if (this.#aborted) this.#abort.abort(this.#abortReason);
    }
    return this.#abort.signal;
  }

  /** Aborts the call's signal (now, or as soon as it is first asked for). */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#abort?.abort(reason);
  }

  get state(): CallState {
    return this.#state;
  }

  get ended(): boolean {
    return isTerminal(this.#state);
  }

  /** Moves the state machine; throws `IllegalCallTransitionError` on a move it does not allow. Returns the old state. */
  moveTo(to: CallState): CallState {
    const from = this.#state;
    assertTransition(this.id, from, to);
    this.#state = to;
    return from;
  }

  phase(): FillerPhase | undefined {
    if (this.#state === "awaiting_approval") return "approval";
    if (this.#state === "running" || this.#state === "queued") return "run";
    return undefined;
  }

  setProgress(message: string): void {
    this.#progress = message;
  }

  takeProgress(): string | undefined {
    const message = this.#progress;
    this.#progress = undefined;
    return message;
  }
}
