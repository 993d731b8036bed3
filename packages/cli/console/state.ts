// The page's state, built only from Parley's messages (the session's event stream), so a page opened late or
// reloaded shows the same thing once the replay is in.
import type { StreamEvent } from "@parley/core";
import type {
  AgentInfo,
  CallInfo,
  ConsoleProblem,
  ServerMessage,
  SessionState,
} from "../src/console/protocol.ts";

export interface Line {
  /** The conversation item id (or a local id for notices and images). */
  id: string;
  role: "user" | "agent" | "filler" | "notice";
  text: string;
  done: boolean;
  interrupted: boolean;
  responseId?: string;
  /** A dropped or pasted image (an object URL), shown with the user's line. */
  image?: string;
}

export interface ToolEntry {
  callId: string;
  tool: string;
  arguments: unknown;
  /** Page clock (performance.now()) when the call arrived: the running timer counts from it. */
  startedAt: number;
  state: string;
  progress: string[];
  fillers: { phase: string; text: string | undefined }[];
  approval?: {
    reason: string;
    approver: string;
    decided?: boolean;
    approved?: boolean;
    by?: string;
  };
  output?: string;
  failed?: boolean;
  ms?: number;
  /** A delegation's own call: the delegate call it runs under (drawn nested under it). */
  parentCallId?: string;
}

export interface Meters {
  costUsd: number;
  tokens: Record<string, number>;
  turn: number;
  firstAudioMs: number | null;
  firstAnswerMs: number | null;
  /** The person's time at approval cards during the turn: not the agent's latency, taken out of "real answer". */
  approvalMs: number | null;
  audioBytes: number;
  /** Approval cards open now: call id → when asked (session clock). */
  asked: Record<string, number>;
}

export interface ConsoleState {
  connected: boolean;
  hello: boolean;
  /** Replayed events still to come after the hello: at 0 the page shows the session as it is. */
  replayLeft: number;
  mode: "dev" | "watch";
  target: string;
  describe: string;
  costIsEstimate: boolean;
  session: { state: SessionState; id: string | undefined; detail?: string };
  agent: AgentInfo | undefined;
  lines: Line[];
  tools: ToolEntry[];
  meters: Meters;
  /** The last reload: what changed, or the located problems of an invalid save. */
  reload?:
    | { ok: true; ms: number; summary: string }
    | { ok: false; text: string; problems: ConsoleProblem[] };
  errors: string[];
  /** `agent serve --console`: the calls listed, the one this page watches, whether it follows the newest. */
  calls: { list: CallInfo[]; watching: string | null; follow: boolean };
}

export type Action =
  | { type: "connected"; connected: boolean }
  | { type: "server"; message: ServerMessage }
  /** A hello and its replay, applied at once: one render for the lot. */
  | { type: "server-batch"; messages: ServerMessage[] }
  | { type: "image"; id: string; url: string; text: string }
  | { type: "local-error"; message: string };

export const initialState: ConsoleState = {
  connected: false,
  hello: false,
  replayLeft: 0,
  mode: "dev",
  target: "",
  describe: "",
  costIsEstimate: true,
  session: { state: "starting", id: undefined },
  agent: undefined,
  lines: [],
  tools: [],
  meters: {
    costUsd: 0,
    tokens: {},
    turn: 0,
    firstAudioMs: null,
    firstAnswerMs: null,
    approvalMs: null,
    audioBytes: 0,
    asked: {},
  },
  errors: [],
  calls: { list: [], watching: null, follow: true },
};

export function reduce(state: ConsoleState, action: Action): ConsoleState {
  switch (action.type) {
    case "connected":
      return { ...state, connected: action.connected };
    case "image":
      return {
        ...state,
        lines: [
          ...state.lines,
          {
            id: action.id,
            role: "user",
            text: action.text,
            done: true,
            interrupted: false,
            image: action.url,
          },
        ],
      };
    case "local-error":
      return { ...state, errors: [...state.errors, action.message].slice(-20) };
    case "server":
      return onMessage(state, action.message);
    case "server-batch":
      return action.messages.reduce(onMessage, state);
  }
}

function onMessage(state: ConsoleState, m: ServerMessage): ConsoleState {
  switch (m.type) {
    case "hello":
      // A (re)connection: the replay that follows rebuilds the conversation.
      return {
        ...initialState,
        connected: true,
        hello: true,
        replayLeft: m.replay ?? 0,
        mode: m.mode,
        target: m.target,
        describe: m.describe,
        costIsEstimate: m.costIsEstimate,
        session: m.session,
        agent: m.agent,
        // Picking another call sends its hello: the list stays (its update follows).
        calls: state.calls,
      };
    case "calls":
      return { ...state, calls: { list: m.calls, watching: m.watching, follow: m.follow } };
    case "session":
      if (m.state === "starting" || (m.state === "open" && m.id !== state.session.id))
        return {
          ...state,
          session: { state: m.state, id: m.id },
          lines: m.state === "starting" ? [] : state.lines,
          tools: m.state === "starting" ? [] : state.tools,
          meters: m.state === "starting" ? initialState.meters : state.meters,
        };
      return {
        ...state,
        session: { state: m.state, id: m.id, ...(m.detail ? { detail: m.detail } : {}) },
      };
    case "agent":
      return {
        ...state,
        agent: m.agent,
        ...(m.reload ? { reload: { ok: true, ...m.reload } } : {}),
      };
    case "reload.failed":
      return { ...state, reload: { ok: false, text: m.text, problems: m.problems } };
    case "problem":
      return { ...state, errors: [...state.errors, m.message].slice(-20) };
    case "audio.resume":
      return {
        ...state,
        meters: { ...state.meters, audioBytes: state.meters.audioBytes + m.bytes },
      };
    case "event": {
      const next = onEvent(state, m.event);
      return state.replayLeft > 0 ? { ...next, replayLeft: state.replayLeft - 1 } : next;
    }
  }
}

function upsertLine(
  lines: Line[],
  id: string,
  make: () => Line,
  change: (l: Line) => Line,
): Line[] {
  const i = lines.findIndex((l) => l.id === id);
  if (i < 0) return [...lines, change(make())];
  const next = lines.slice();
  next[i] = change(lines[i] as Line);
  return next;
}

function updateTool(
  tools: ToolEntry[],
  callId: string,
  change: (t: ToolEntry) => ToolEntry,
): ToolEntry[] {
  return tools.map((t) => (t.callId === callId ? change(t) : t));
}

function onEvent(state: ConsoleState, e: StreamEvent): ConsoleState {
  switch (e.type) {
    case "user.transcript.delta":
    case "user.transcript.done": {
      const text = e.type === "user.transcript.done" ? e.transcript : undefined;
      const delta = e.type === "user.transcript.delta" ? e.delta : "";
      const lines = upsertLine(
        state.lines,
        e.itemId,
        () => ({ id: e.itemId, role: "user", text: "", done: false, interrupted: false }),
        (l) => ({ ...l, text: text ?? l.text + delta, done: text !== undefined }),
      );
      // A new turn: its own approval time.
      const meters = text === undefined ? state.meters : { ...state.meters, approvalMs: null };
      return { ...state, lines, meters };
    }
    case "agent.transcript.delta":
    case "agent.transcript.done": {
      const role = e.kind === "filler" ? "filler" : "agent";
      const done = e.type === "agent.transcript.done";
      const lines = upsertLine(
        state.lines,
        e.itemId,
        () => ({
          id: e.itemId,
          role,
          text: "",
          done: false,
          interrupted: false,
          responseId: e.responseId,
        }),
        (l) => ({
          ...l,
          text: done
            ? (e as { transcript: string }).transcript
            : l.text + (e as { delta: string }).delta,
          done,
        }),
      );
      let tools = state.tools;
      if (done && role === "filler")
        tools = fillFiller(tools, (e as { transcript: string }).transcript);
      return { ...state, lines, tools };
    }
    case "agent.audio":
      return {
        ...state,
        meters: { ...state.meters, audioBytes: state.meters.audioBytes + e.audioBytes },
      };
    case "interrupted":
      if (!e.itemId) return state;
      return {
        ...state,
        lines: state.lines.map((l) => (l.id === e.itemId ? { ...l, interrupted: true } : l)),
      };
    case "response.done":
      if (e.status !== "cancelled" && e.status !== "incomplete") return state;
      return {
        ...state,
        lines: state.lines.map((l) =>
          l.responseId === e.responseId && !l.done ? { ...l, interrupted: true, done: true } : l,
        ),
      };
    case "tool.call":
      return {
        ...state,
        tools: [
          ...state.tools,
          {
            callId: e.callId,
            tool: e.tool,
            arguments: e.arguments,
            startedAt: performance.now(),
            state: "received",
            progress: [],
            fillers: [],
            ...(e.parentCallId ? { parentCallId: e.parentCallId } : {}),
          },
        ],
      };
    case "tool.state":
      return { ...state, tools: updateTool(state.tools, e.callId, (t) => ({ ...t, state: e.to })) };
    case "tool.progress":
      return {
        ...state,
        tools: updateTool(state.tools, e.callId, (t) => ({
          ...t,
          progress: [...t.progress, e.message],
        })),
      };
    case "tool.filler":
      return {
        ...state,
        tools: updateTool(state.tools, e.callId, (t) => ({
          ...t,
          fillers: [...t.fillers, { phase: e.phase, text: e.line }],
        })),
      };
    case "tool.output":
      return {
        ...state,
        tools: updateTool(state.tools, e.callId, (t) => ({
          ...t,
          state: e.state,
          output: e.output,
          failed: e.state !== "completed",
          ...(e.ms !== undefined ? { ms: e.ms } : { ms: performance.now() - t.startedAt }),
        })),
      };
    case "approval.requested":
      return {
        ...state,
        meters: { ...state.meters, asked: { ...state.meters.asked, [e.callId]: e.at } },
        tools: updateTool(state.tools, e.callId, (t) => ({
          ...t,
          approval: { reason: e.reason, approver: e.approver },
        })),
      };
    case "approval.decided":
      return {
        ...state,
        meters: decidedMeters(state.meters, e.callId, e.at),
        tools: updateTool(state.tools, e.callId, (t) => ({
          ...t,
          approval: {
            // The rule's reason stays; a denial's own reason (who declined, a timeout) is added to it.
            reason: [t.approval?.reason, e.approved ? undefined : e.reason]
              .filter(Boolean)
              .join(" · "),
            approver: e.approver,
            decided: true,
            approved: e.approved,
          },
        })),
      };
    case "usage":
      return {
        ...state,
        meters: {
          ...state.meters,
          costUsd: e.sessionCostUsd,
          tokens: e.sessionTokens as unknown as Record<string, number>,
        },
      };
    case "latency":
      return {
        ...state,
        meters: {
          ...state.meters,
          turn: e.turn,
          firstAudioMs: e.firstAudioMs,
          // As `agent dev` shows it: the time a person took at approval cards is not the agent's.
          firstAnswerMs:
            e.firstAnswerMs === null
              ? null
              : Math.max(0, e.firstAnswerMs - (state.meters.approvalMs ?? 0)),
        },
      };
    case "warning":
      return { ...state, lines: [...state.lines, notice(e.seq, e.message)] };
    case "mode.changed":
      // Text fallback: told once per switch, in the transcript.
      return { ...state, lines: [...state.lines, notice(e.seq, e.notice)] };
    case "handoff":
      return {
        ...state,
        lines: [...state.lines, notice(e.seq, `handed off from ${e.from} to ${e.to}`)],
      };
    case "error":
      return {
        ...state,
        errors: [
          ...state.errors,
          `error[${e.error.code ?? e.error.name}]: ${e.error.message}`,
        ].slice(-20),
      };
    default:
      return state;
  }
}

function notice(seq: number, text: string): Line {
  return { id: `notice-${seq}`, role: "notice", text, done: true, interrupted: false };
}

/** A generated filler's words, once said, go to the latest call waiting for them. */
function fillFiller(tools: ToolEntry[], text: string): ToolEntry[] {
  for (let i = tools.length - 1; i >= 0; i--) {
    const t = tools[i] as ToolEntry;
    const at = t.fillers.findIndex((f) => f.text === undefined);
    if (at >= 0) {
      const next = tools.slice();
      next[i] = { ...t, fillers: t.fillers.map((f, j) => (j === at ? { ...f, text } : f)) };
      return next;
    }
  }
  return tools;
}

function decidedMeters(meters: Meters, callId: string, at: number): Meters {
  const since = meters.asked[callId];
  if (since === undefined) return meters;
  const { [callId]: _, ...asked } = meters.asked;
  return { ...meters, asked, approvalMs: (meters.approvalMs ?? 0) + (at - since) };
}
