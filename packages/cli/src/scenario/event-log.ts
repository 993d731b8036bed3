import type { ApprovalRequest } from "@parley/core";

/** What a scenario can expect, recorded as it happens (times in ms since the scenario started). */
export type LogEvent =
  | { type: "tool"; at: number; tool: string; args: unknown; callId: string; parent?: string }
  | {
      type: "output";
      at: number;
      tool: string;
      callId: string;
      state: string;
      output: string;
      parent?: string;
    }
  | { type: "delegation"; at: number; tool: string; callId: string; state: string; answer: string }
  | { type: "filler"; at: number; text: string }
  | { type: "say"; at: number; text: string; kind: string }
  | { type: "mode"; at: number; mode: "text" | "audio"; reason: string }
  | {
      type: "approval";
      at: number;
      tool: string;
      request: ApprovalRequest;
      decide: (approved: boolean) => void;
    };

type Kind = LogEvent["type"];
type OfKind<K extends Kind> = Extract<LogEvent, { type: K }>;

/**
 * The scenario's record of events with one read cursor per kind: `expect_tool` consumes the next tool call,
 * `expect_say` the next answer, and so on, independently, so the order in which a filler and a tool call arrive
 * does not matter to a scenario that expects both. A user step moves every cursor past what came before it.
 */
export class EventLog {
  readonly events: LogEvent[] = [];
  readonly #cursor: Record<Kind, number> = {
    tool: 0,
    output: 0,
    filler: 0,
    say: 0,
    approval: 0,
    delegation: 0,
    mode: 0,
  };
  #listeners = new Set<() => void>();

  push(event: LogEvent): void {
    this.events.push(event);
    for (const l of [...this.#listeners]) l();
  }

  /** Everything before now is considered seen (a new user turn begins). */
  skipAll(): void {
    for (const k of Object.keys(this.#cursor) as Kind[]) this.#cursor[k] = this.events.length;
  }

  /** The events of a kind not consumed yet. */
  unread<K extends Kind>(kind: K): OfKind<K>[] {
    return this.events.slice(this.#cursor[kind]).filter((e): e is OfKind<K> => e.type === kind);
  }

  /** Events of a kind since index `from` (consumed or not). */
  since<K extends Kind>(kind: K, from: number): OfKind<K>[] {
    return this.events.slice(from).filter((e): e is OfKind<K> => e.type === kind);
  }

  /** Marks `event` (and everything of its kind before it) consumed. */
  consume(event: LogEvent): void {
    this.#cursor[event.type] = this.events.indexOf(event) + 1;
  }

  /**
   * Waits for the first unread event of `kind` that `accept` takes (`"stop"` ends the wait with that event as a
   * mismatch). Resolves undefined when `until` resolves first (the turn ended, or the time ran out).
   */
  async next<K extends Kind>(
    kind: K,
    accept: (event: OfKind<K>) => boolean | "stop",
    until: Promise<unknown>,
  ): Promise<{ event: OfKind<K>; matched: boolean } | undefined> {
    const scan = () => {
      for (const e of this.unread(kind)) {
        const verdict = accept(e);
        if (verdict === true) return { event: e, matched: true };
        if (verdict === "stop") return { event: e, matched: false };
      }
      return undefined;
    };
    const now = scan();
    if (now) return now;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (value: { event: OfKind<K>; matched: boolean } | undefined) => {
        if (settled) return;
        settled = true;
        this.#listeners.delete(listener);
        resolve(value);
      };
      const listener = () => {
        const found = scan();
        if (found) finish(found);
      };
      this.#listeners.add(listener);
      // One last look when the turn ends: the event that ended it may have just been logged.
      void until.then(() => finish(scan()));
    });
  }
}
