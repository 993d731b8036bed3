import type { SessionEvents } from "@parley/core";

type Payload<K extends keyof SessionEvents> = Parameters<SessionEvents[K]>[0];

/** The session's running figures shown in the status line. */
export interface DevStatus {
  /** `local` (embedded server), `live` (OpenAI) or the `--url` host. */
  target: string;
  model: string;
  costUsd: number;
  /** Offline (the local server): the cost is what the same tokens would cost at API prices, nothing was billed. */
  costIsEstimate: boolean;
  /** Last turn: end of user input → first audio, and → the real answer (not a filler), the latter without… */
  firstAudioMs: number | null;
  firstAnswerMs: number | null;
  /** …the time a person took at approval prompts during that turn (null: none asked). */
  approvalMs: number | null;
}

/**
 * What `agent dev` shows, whichever the terminal: `TtyView` (a live, redrawn screen with a prompt) or `PlainView`
 * (a plain transcript for pipes). The controller in run-dev.ts calls these; views never touch the session.
 */
export interface DevView {
  /** Lines shown once at start (what it runs against, how to talk and quit). */
  banner(lines: string[]): void;
  /** A one-line message from `agent dev` itself ("reloaded in 12 ms: …"). */
  notice(text: string): void;
  /** Something went wrong; `text` may span lines (located agent file problems). */
  problem(text: string): void;
  user(text: string): void;
  agentDelta(e: Payload<"agent.transcript.delta">): void;
  agentDone(e: Payload<"agent.transcript.done">): void;
  /** The agent was cut off: its item `itemId`'s transcript (when it comes) is what was heard before the cut. */
  interrupted(e: Payload<"interrupted">): void;
  /** A response ended; words streamed without a final transcript (an interrupted answer) are shown as cut off. */
  responseEnded(e: Payload<"response.done">): void;
  toolCall(e: Payload<"tool.call">): void;
  toolProgress(e: Payload<"tool.progress">): void;
  toolOutput(e: Payload<"tool.output">): void;
  approvalRequested(e: Payload<"approval.requested">): void;
  approvalDecided(e: Payload<"approval.decided">): void;
  status(status: DevStatus): void;
  /** Asks a y/n question; the next answer line decides. Resolves false when `signal` aborts. */
  askApproval(question: string, signal: AbortSignal): Promise<boolean>;
  /** The session is idle: the plain view hands over its next piped line (the TTY view delivers lines as typed). */
  ready(): void;
  /** Starts reading input lines; `onEnd` runs on end of input, Ctrl-D or Ctrl-C. */
  start(onLine: (line: string) => void, onEnd: () => void): void;
  close(): void;
}

/** The event a view method takes, e.g. `ViewArg<"toolCall">`. */
export type ViewArg<K extends keyof DevView> = Parameters<DevView[K]>[0];

/**
 * Routes input lines: to a pending approval question first, else to the conversation. Both views use it, so an
 * approval is answered the same way typed or piped (`y`/`yes`, `n`/`no`).
 */
export class LineRouter {
  #pending: { resolve: (approved: boolean) => void; cleanup: () => void } | undefined;
  onLine: (line: string) => void = () => {};
  /** Told when an answer line is not y/n, to ask again. */
  onBadAnswer: () => void = () => {};

  get asking(): boolean {
    return this.#pending !== undefined;
  }

  ask(signal: AbortSignal): Promise<boolean> {
    this.#pending?.resolve(false);
    return new Promise<boolean>((resolve) => {
      const abort = () => settle(false);
      const settle = (approved: boolean) => {
        if (this.#pending?.resolve !== settle) return;
        this.#pending = undefined;
        signal.removeEventListener("abort", abort);
        resolve(approved);
      };
      if (signal.aborted) return resolve(false);
      signal.addEventListener("abort", abort, { once: true });
      this.#pending = { resolve: settle, cleanup: abort };
    });
  }

  line(line: string): void {
    if (this.#pending) {
      const answer = line.trim().toLowerCase();
      if (["y", "yes", "n", "no"].includes(answer)) this.#pending.resolve(answer.startsWith("y"));
      else this.onBadAnswer();
      return;
    }
    this.onLine(line);
  }

  /** Declines a pending question (Ctrl-C at the prompt); false when none was pending. */
  deny(): boolean {
    if (!this.#pending) return false;
    this.#pending.resolve(false);
    return true;
  }

  /** Declines a pending question (the input ended). */
  cancel(): void {
    this.#pending?.resolve(false);
  }
}

/**
 * Keeps the scrollback in the order things were said: a tool's outcome (✓/✗, an approval decision) that arrives
 * while a filler covering it is still being spoken is held until that filler's line is written.
 */
export class SpokenOrder {
  readonly #fillers = new Set<string>();
  #held: (() => void)[] = [];

  /** Words of a response arrived; fillers are tracked until `finished`. */
  speaking(responseId: string, kind: string): void {
    if (kind === "filler") this.#fillers.add(responseId);
  }

  /** A response's line was written (or it ended without one): held outcomes go out once no filler is left. */
  finished(responseId: string): void {
    if (!this.#fillers.delete(responseId) || this.#fillers.size > 0) return;
    const held = this.#held;
    this.#held = [];
    for (const write of held) write();
  }

  /** Writes now, or after the fillers being spoken. */
  after(write: () => void): void {
    if (this.#fillers.size > 0) this.#held.push(write);
    else write();
  }
}
