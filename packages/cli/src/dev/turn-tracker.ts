import type { Session } from "@parley/core";

/**
 * Knows when the agent has finished its turn, from protocol state only (never from a quiet spell, which a busy
 * machine or the live API stretches at will): the session's `idle` (no response in progress, queued or awaited, no
 * tool call running or awaiting approval, every output delivered, no answer scheduled) and, after an input was
 * sent, the start of the response to it. Piped `agent dev` waits for it before the next input line; `agent test`
 * before each user step and for `expect_no_tool`.
 *
 * @example
 * const turns = new TurnTracker(session);
 * session.sendText("hi");
 * turns.nudge(); // an answer is due
 * await turns.idle();
 */
export class TurnTracker {
  readonly #session: Session;
  readonly #calls = new Set<string>();
  /** An input was sent and the response to it has not started yet (the session may look idle until it does). */
  #answerDue = false;
  #waiters: (() => void)[] = [];
  readonly #off: (() => void)[] = [];

  constructor(session: Session) {
    this.#session = session;
    const onCall = (e: { callId: string }) => this.#calls.add(e.callId);
    const onOutput = (e: { callId: string }) => this.#calls.delete(e.callId);
    const onStarted = (e: { kind: string }) => {
      if (e.kind !== "filler") this.#answerDue = false;
    };
    const onIdle = () => this.#check();
    const onClosed = () => {
      this.#calls.clear();
      this.#answerDue = false;
      this.#flush();
    };
    session.on("tool.call", onCall);
    session.on("tool.output", onOutput);
    session.on("response.started", onStarted);
    session.on("idle", onIdle);
    session.on("closed", onClosed);
    this.#off.push(
      () => session.off("tool.call", onCall),
      () => session.off("tool.output", onOutput),
      () => session.off("response.started", onStarted),
      () => session.off("idle", onIdle),
      () => session.off("closed", onClosed),
    );
  }

  /** True while the turn is not over. */
  get busy(): boolean {
    if (!this.#session.open) return false;
    return this.#answerDue || this.#session.busy;
  }

  /** Running (or approval-pending) tool calls. */
  get activeCalls(): number {
    return this.#calls.size;
  }

  /** Resolves once the turn is over (at once if it already is). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#check();
    });
  }

  /**
   * An input was sent that the agent answers: the turn is not over before that answer has started (a server-VAD
   * turn only starts once the server has heard the speech end).
   */
  nudge(): void {
    this.#answerDue = true;
  }

  dispose(): void {
    for (const off of this.#off) off();
    this.#flush();
  }

  #check(): void {
    if (this.#waiters.length > 0 && !this.busy) this.#flush();
  }

  #flush(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
