import { relative } from "node:path";
import { hashFiles, type SessionLog, type SessionLogEvent } from "@parley/core";
import { compactJson } from "../dev/format.ts";
import { duration, summarize, usd } from "./summary.ts";

/** One tool call's timeline, from its events. */
interface CallTimeline {
  callId: string;
  tool: string;
  calledAt: number;
  approval?: { askedAt: number; decidedAt?: number; approved?: boolean; approver?: string };
  runAt?: number;
  endAt?: number;
  state?: string;
}

/**
 * `agent logs show <id>`: a readable transcript (what was said, tool calls and outputs, approvals, handoffs,
 * problems, each at its time from the session's start), then the tool timeline.
 */
export function formatLog(log: SessionLog, options: { cwd?: string } = {}): string {
  const { header, events } = log;
  const cwd = options.cwd ?? process.cwd();
  const t0 = events[0]?.at ?? 0;
  const at = (ms: number) => clock(ms - t0);
  const s = summarize(log);
  // The hash says whether the log still describes the agent on disk (a replay runs what is on disk).
  const changed =
    hashFiles(header.files ?? [header.file]) === header.hash
      ? ""
      : " · its files have changed since";
  const out = [
    `${header.id}`,
    `  agent   ${header.agent} (${relative(cwd, header.file) || header.file}) · ${header.model}${changed}`,
    `  started ${header.startedAt} · ${duration(s.durationMs)} · ${usd(s.costUsd)} · ${s.turns} turn${s.turns === 1 ? "" : "s"} · ${s.toolCalls} tool call${s.toolCalls === 1 ? "" : "s"} · ${s.errors} error${s.errors === 1 ? "" : "s"}`,
    `  hash    ${header.hash}`,
    "",
  ];
  const calls = new Map<string, CallTimeline>();
  // A spoken line is shown when the agent began saying it (its item's first audio or words), not when its
  // transcript was done: a filler started before the tool it covers ended. Lines are then put in time order.
  const began = new Map<string, number>();
  for (const e of events)
    if ((e.type === "agent.audio" || e.type === "agent.transcript.delta") && !began.has(e.itemId))
      began.set(e.itemId, e.at);
  const lines: { at: number; text: string }[] = [];
  for (const e of events) {
    const line = describe(e, calls);
    if (!line) continue;
    const when = e.type === "agent.transcript.done" ? (began.get(e.itemId) ?? e.at) : e.at;
    lines.push({ at: when, text: `${at(when)}  ${line}` });
  }
  // A stable sort: events at the same time keep their order in the log.
  for (const line of lines.sort((a, b) => a.at - b.at)) out.push(line.text);
  if (calls.size) {
    out.push("", "tool timeline (from the call's arrival)");
    for (const c of calls.values()) out.push(`  ${timelineRow(c, at)}`);
  }
  return `${out.join("\n")}\n`;
}

function describe(e: SessionLogEvent, calls: Map<string, CallTimeline>): string | undefined {
  switch (e.type) {
    case "user.transcript.done":
      return `user     ${e.transcript}`;
    case "agent.transcript.done": {
      const text = e.transcript.trim();
      if (!text) return undefined;
      return `${(e.kind === "answer" ? "agent" : e.kind).padEnd(8)} ${text}`;
    }
    case "tool.call":
      calls.set(e.callId, { callId: e.callId, tool: e.tool, calledAt: e.at });
      return `tool   → ${e.tool} ${compactJson(e.arguments, 300)}`;
    case "tool.state": {
      const c = calls.get(e.callId);
      if (c && e.to === "running") c.runAt ??= e.at;
      return undefined;
    }
    case "approval.requested": {
      const c = calls.get(e.callId);
      if (c) c.approval = { askedAt: e.at };
      return `approve? ${e.tool} (${e.reason}) → ${e.approver}`;
    }
    case "approval.decided": {
      const c = calls.get(e.callId);
      if (c?.approval)
        Object.assign(c.approval, { decidedAt: e.at, approved: e.approved, approver: e.approver });
      return `approval ${e.tool} ${e.approved ? "approved" : "denied"} by ${e.approver}${e.reason ? ` (${e.reason})` : ""}`;
    }
    case "tool.output": {
      const c = calls.get(e.callId);
      if (c) Object.assign(c, { endAt: e.at, state: e.state });
      return `tool   ← ${e.tool} ${e.state}${e.ms !== undefined ? ` in ${duration(e.ms)}` : ""} → ${compactJson(e.output, 300)}`;
    }
    case "interrupted":
      return `interrupted${e.playedMs !== undefined ? ` after ${duration(e.playedMs)} of audio` : ""}`;
    case "handoff":
      return `handoff  ${e.from} → ${e.to}${e.reason ? ` (${e.reason})` : ""}`;
    case "warning":
      return `warning  ${e.message}`;
    case "error":
      return `error    [${e.error.code ?? e.error.name}] ${e.error.message}`;
    case "reconnecting":
    case "restored":
    case "restore_failed":
      return e.type;
    case "closed":
      return `ended    ${e.reason}${e.detail ? `: ${e.detail}` : ""}`;
    default:
      return undefined;
  }
}

function timelineRow(c: CallTimeline, at: (ms: number) => string): string {
  const parts = [`${c.tool} ${c.callId}`, `called ${at(c.calledAt)}`];
  if (c.approval) {
    const wait =
      c.approval.decidedAt === undefined
        ? "no decision"
        : duration(c.approval.decidedAt - c.approval.askedAt);
    parts.push(
      `approval ${wait}${c.approval.approved === undefined ? "" : ` (${c.approval.approved ? "approved" : "denied"} by ${c.approval.approver})`}`,
    );
  }
  if (c.runAt !== undefined) {
    parts.push(`queued ${duration(c.runAt - (c.approval?.decidedAt ?? c.calledAt))}`);
    if (c.endAt !== undefined) parts.push(`ran ${duration(c.endAt - c.runAt)}`);
  }
  parts.push(c.state ?? "no output");
  return parts.join(" · ");
}

/** `mm:ss.s` from the session's first event. */
function clock(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${(s % 60).toFixed(1).padStart(4, "0")}`;
}
