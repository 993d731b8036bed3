import type { SessionLog, SessionLogEvent } from "@parley/core";

/** What `agent logs` shows of one session. */
export interface LogSummary {
  id: string;
  file: string;
  agent: string;
  startedAt: string;
  durationMs: number;
  /** The session's cost at its end (0 when no response was priced). */
  costUsd: number;
  /** User turns (what the user said or typed: transcripts, or latency marks when speech was not transcribed). */
  turns: number;
  toolCalls: number;
  /** `error` events, and tool calls that failed or timed out. */
  errors: number;
  /** Why it ended (`closed`, `ended`, `budget`, …), or `running` when the log has no close (still going, or a crash). */
  end: string;
}

/**
 * The figures of one session log.
 *
 * @example
 * summarize(await readSessionLog(file)) // { agent: "desk", turns: 2, toolCalls: 2, costUsd: 0.0123, … }
 */
export function summarize(log: SessionLog): LogSummary {
  const { header, events } = log;
  let costUsd = 0;
  let turns = 0;
  let measured = 0; // latency events: one per user turn, spoken or typed, transcribed or not
  let toolCalls = 0;
  let errors = 0;
  let end = "running";
  for (const e of events) {
    switch (e.type) {
      case "user.transcript.done":
        turns++;
        break;
      case "latency":
        measured = Math.max(measured, e.turn);
        break;
      case "tool.call":
        toolCalls++;
        break;
      case "tool.output":
        if (e.state === "failed" || e.state === "timed_out") errors++;
        break;
      case "error":
        errors++;
        break;
      case "usage":
        costUsd = e.sessionCostUsd;
        break;
      case "closed":
        end = e.reason;
        costUsd = e.costUsd;
        break;
    }
  }
  return {
    id: header.id,
    file: log.file,
    agent: header.agent,
    startedAt: header.startedAt,
    durationMs: span(events),
    costUsd,
    turns: Math.max(turns, measured),
    toolCalls,
    errors,
    end,
  };
}

/** First to last event, on the session clock. */
export function span(events: readonly SessionLogEvent[]): number {
  const first = events[0];
  const last = events.at(-1);
  return first && last ? Math.max(0, last.at - first.at) : 0;
}

/** `1.2s`, `3m 04s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

/** `$0.0123`. */
export function usd(value: number): string {
  return `$${value.toFixed(4)}`;
}
