import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { redactString, type Session } from "@parley/core";
import { compactJson, costText, elapsed } from "./format.ts";

/**
 * What `agent dev` keeps of a session for the end: the transcript (one line per thing said or done, as the piped
 * view prints it, secrets redacted) and the figures `/quit` summarises.
 */
export class SessionRecord {
  readonly #lines: string[] = [];
  readonly #firstAudio: number[] = [];
  readonly #answers: number[] = [];
  /** Agent lines being said: item id → their place in `#lines`. */
  readonly #saying = new Map<string, number>();
  #turns = 0;
  #toolCalls = 0;

  constructor(session: Session) {
    session.on("user.transcript.done", (e) => this.#add(`user: ${e.transcript}`));
    // An agent line takes its place in the transcript when it starts to be said, not when its audio ends: a reply
    // spoken in real time is still playing when the person types the next turn.
    session.on("agent.transcript.delta", (e) => {
      if (!this.#saying.has(e.itemId)) this.#saying.set(e.itemId, this.#lines.push("") - 1);
    });
    session.on("agent.transcript.done", (e) => {
      const at = this.#saying.get(e.itemId);
      this.#saying.delete(e.itemId);
      const text = e.transcript.trim();
      const line = text ? `${e.kind === "filler" ? "filler" : "agent"}: ${text}` : undefined;
      if (at === undefined) {
        if (line) this.#add(line);
      } else this.#lines[at] = line ? this.#stamp(line) : "";
    });
    session.on("tool.call", (e) => {
      this.#toolCalls++;
      this.#add(`tool: ${e.tool} ${compactJson(e.arguments, 500)}`);
    });
    session.on("tool.output", (e) =>
      this.#add(`tool: ${e.tool} ${e.state} → ${compactJson(e.output, 500)}`),
    );
    session.on("approval.decided", (e) =>
      this.#add(`approval: ${e.tool} ${e.approved ? "approved" : "denied"} by ${e.approver}`),
    );
    session.on("latency", (e) => {
      this.#turns++;
      if (e.firstAudioMs !== null) this.#firstAudio.push(e.firstAudioMs);
      if (e.firstAnswerMs !== null) this.#answers.push(e.firstAnswerMs);
    });
  }

  #add(line: string): void {
    this.#lines.push(this.#stamp(line));
  }

  #stamp(line: string): string {
    return `${new Date().toISOString()} ${redactString(line)}`;
  }

  /** The transcript so far, one stamped line per thing said or done (secrets redacted); "" when nothing yet. */
  text(): string {
    const lines = this.#lines.filter((l) => l !== "");
    return lines.length ? `${lines.join("\n")}\n` : "";
  }

  /** Writes the transcript under `<dir>/.parley/transcripts/`; returns its path, or undefined if it could not. */
  save(dir: string, agentName: string): string | undefined {
    const lines = this.#lines.filter((l) => l !== "");
    if (lines.length === 0) return undefined;
    const folder = join(dir, ".parley", "transcripts");
    const file = join(folder, `${agentName}-${new Date().toISOString().replace(/[:.]/g, "-")}.txt`);
    try {
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
      return file;
    } catch {
      return undefined;
    }
  }

  /** `3 turns · 2 tool calls · ~$0.0123 (estimate…) · first audio median 420ms · answer median 1.2s`. */
  summary(costUsd: number, costIsEstimate: boolean): string {
    const parts = [
      `${this.#turns} turn${this.#turns === 1 ? "" : "s"}`,
      `${this.#toolCalls} tool call${this.#toolCalls === 1 ? "" : "s"}`,
      costText(costUsd, costIsEstimate),
    ];
    if (this.#firstAudio.length)
      parts.push(`first audio median ${elapsed(median(this.#firstAudio))}`);
    if (this.#answers.length) parts.push(`answer median ${elapsed(median(this.#answers))}`);
    return parts.join(" · ");
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
