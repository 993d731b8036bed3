import type { Session } from "@parley/core";

/** How long after a tool output its answer may take to start before the turn counts as over anyway. */
const ANSWER_GRACE_MS = 1000;

/**
 * Knows when the agent has finished its turn: no response in progress, no tool call running or awaiting approval,
 * for a short quiet spell (a call's output is followed at once by the answer's `response.create`, and the quiet
 * spell bridges that gap). Piped `agent dev` waits for it before the next input line; `agent test` before each
 * user step and for `expect_no_tool`.
 *
 * @example
 * const turns = new TurnTracker(session);
 * session.sendText("hi");
 * await turns.idle();
 */
export class TurnTracker {
  readonly #session: Session;
  readonly #quietMs: number;
  readonly #calls = new Set<string>();
  /** Until when an answer about a tool output is expected to start (0: none is). */
  #answerDueBy = 0;
  #waiters: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #off: (() => void)[] = [];

  constructor(session: Session, options: { quietMs?: number } = {}) {
    this.#session = session;
    this.#quietMs = options.quietMs ?? 25;
    const on = <K extends "response.done" | "approval.decided" | "closed">(
      name: K,
      fn: () => void,
    ) => {
      session.on(name, fn);
      this.#off.push(() => session.off(name, fn));
    };
    const onCall = (e: { callId: string }) => this.#calls.add(e.callId);
    const onOutput = (e: { callId: string }) => {
      this.#calls.delete(e.callId);
      // The scheduler asks for the answer about this output once the other calls of its response have theirs:
      // the turn is not over before that answer starts.
      this.#answerDueBy = performance.now() + ANSWER_GRACE_MS;
      this.#check();
    };
    session.on("tool.call", onCall);
    session.on("tool.output", onOutput);
    this.#off.push(
      () => session.off("tool.call", onCall),
      () => session.off("tool.output", onOutput),
    );
    on("response.done", () => this.#check());
    const onStarted = (e: { kind: string }) => {
      if (e.kind !== "filler") this.#answerDueBy = 0;
      this.#check();
    };
    session.on("response.started", onStarted);
    this.#off.push(() => session.off("response.started", onStarted));
    on("approval.decided", () => this.#check());
    on("closed", () => {
      this.#calls.clear();
      this.#flush();
    });
  }

  /** True when nothing is happening right now (without the quiet spell). */
  get busy(): boolean {
    if (!this.#session.open) return false;
    const answerDue = this.#answerDueBy > performance.now();
    return this.#session.responding || this.#calls.size > 0 || answerDue;
  }

  /** Running (or approval-pending) tool calls. */
  get activeCalls(): number {
    return this.#calls.size;
  }

  /** Resolves once the turn is over (at once if it already is, after the quiet spell). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#check();
    });
  }

  /** Re-checks after an input was sent (its response may not have started yet). */
  nudge(): void {
    this.#check();
  }

  dispose(): void {
    for (const off of this.#off) off();
    if (this.#timer) clearTimeout(this.#timer);
    this.#flush();
  }

  #check(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#waiters.length === 0) return;
    // Busy or not, look again after the quiet spell: event order around response.done is not a promise we rely on.
    const wasBusy = this.busy;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!wasBusy && !this.busy) this.#flush();
      else this.#check();
    }, this.#quietMs);
  }

  #flush(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
