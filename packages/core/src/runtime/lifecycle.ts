import type { Clock, TimerHandle } from "../clock/index.ts";
import { sayExactly } from "../scheduler/fillers.ts";
import type { CallRouter } from "./calls.ts";
import type { CloseReason } from "./events.ts";
import type { ResponseQueue } from "./response-queue.ts";
import type { Wire } from "./wire.ts";

export interface LifecycleDeps {
  responses: ResponseQueue;
  /** The call router, undefined when there is nothing to close (no router and no tool handler made yet). */
  readonly callsIfMade: CallRouter | undefined;
  wire: Wire;
  clock: Clock;
  /** The line said before a limit closes the session. */
  goodbye: string;
  /** Longest wait for the goodbye to finish. */
  timeoutMs: number;
  /** Emits `closed` (once). */
  closed(reason: CloseReason, detail: string, code: number | undefined): void;
}

/**
 * How a session ends, in one place: a limit says goodbye first (and closes when the goodbye is done, or after a
 * timeout); `close()` aborts tool calls while the socket can still carry their outputs, then closes the socket;
 * a dropped socket ends at once. Every path emits `closed` exactly once.
 */
export class Lifecycle {
  readonly #d: LifecycleDeps;
  #timers: TimerHandle[] | undefined;
  /** The maxSessionLength timer: one at a time, re-armed when the agent (and so the limit) changes. */
  #limit: TimerHandle | undefined;
  #ending: { reason: CloseReason; detail: string } | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;
  /** After a tool's `session.end()`: responses already live then are skipped; the next answer to finish closes. */
  #endAfter: { detail: string; skip: ReadonlySet<string> } | undefined;

  constructor(deps: LifecycleDeps) {
    this.#d = deps;
  }

  /** True once closing has begun (close(), a limit's goodbye finished, or the socket dropped). */
  get closing(): boolean {
    return this.#closing !== undefined;
  }

  get ending(): boolean {
    return this.#ending !== undefined || this.#endAfter !== undefined;
  }

  /** A timer that dies with the session (the maxSessionLength limit). */
  after(ms: number, fn: () => void): void {
    this.#timers ??= [];
    this.#timers.push(this.#d.clock.setTimeout(fn, ms));
  }

  /**
   * Arms the session-length limit, replacing the one armed before (a handoff brings the new agent's limit; undefined
   * removes it). `ms` counts from `startedAt` (clock time), the start of the whole session.
   */
  limitLength(ms: number | undefined, startedAt: number): void {
    if (this.#limit !== undefined) this.#d.clock.clearTimeout(this.#limit);
    this.#limit = undefined;
    if (ms === undefined || this.#closing) return;
    const left = Math.max(0, startedAt + ms - this.#d.clock.now());
    this.#limit = this.#d.clock.setTimeout(() => {
      this.#limit = undefined;
      this.goodbye("max_session_length", `the session reached its ${ms} ms limit`);
    }, left);
  }

  /** Ends the session on a limit: the goodbye goes as soon as the current response is done, then the session closes. */
  goodbye(reason: CloseReason, detail: string): void {
    if (this.#ending || this.#closing) return;
    this.#ending = { reason, detail };
    this.#d.responses.endWith({
      kind: "goodbye",
      response: { instructions: sayExactly(this.#d.goodbye), tool_choice: "none" },
    });
    // If the goodbye never finishes (a stalled server), close anyway.
    this.after(this.#d.timeoutMs, () => void this.shutdown(reason, detail));
  }

  /**
   * A tool ended the session (`ctx.session.end()`, e.g. call-control's `end_call`): the answer to its output (the
   * agent's goodbye) is let finish, then the session closes with reason `ended`. Responses live now (the one that
   * carried the call) do not count. Never awaits the shutdown: that aborts running calls, the caller among them.
   */
  endAfterAnswer(detail: string, live: Iterable<string>): void {
    if (this.#ending || this.#endAfter || this.#closing) return;
    this.#endAfter = { detail, skip: new Set(live) };
    // No answer ever finishing (a stalled server, a cancelled turn) must not keep the session open.
    this.after(this.#d.timeoutMs, () => void this.shutdown("ended", detail));
  }

  /** A response finished: the answer after a tool's `end()` closes the session. */
  responseFinished(id: string, kind: string): void {
    const end = this.#endAfter;
    if (!end || kind !== "answer" || end.skip.has(id)) return;
    void this.shutdown("ended", end.detail);
  }

  /** The goodbye was said (or could not be): close for the reason that asked for it. */
  goodbyeDone(): void {
    if (this.#ending) void this.shutdown(this.#ending.reason, this.#ending.detail);
  }

  shutdown(reason: CloseReason, detail: string): Promise<void> {
    this.#closing ??= (async () => {
      this.#clearTimers();
      this.#d.responses.close();
      await this.#d.callsIfMade?.close();
      await this.#d.wire.close();
      this.#finish(reason, detail, undefined);
    })();
    return this.#closing;
  }

  /** The socket closed without our asking. */
  dropped(detail: string, code: number): void {
    if (this.#closing) return;
    this.#clearTimers();
    this.#d.responses.close();
    this.#closing = (async () => {
      await this.#d.callsIfMade?.close();
      this.#finish("socket_closed", detail, code);
    })();
  }

  #clearTimers(): void {
    for (const t of this.#timers ?? []) this.#d.clock.clearTimeout(t);
    this.#timers = undefined;
    if (this.#limit !== undefined) this.#d.clock.clearTimeout(this.#limit);
    this.#limit = undefined;
  }

  #finish(reason: CloseReason, detail: string, code: number | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#d.closed(reason, detail, code);
  }
}
