import type {
  RealtimeClientEvent,
  RealtimeResponse,
  RealtimeResponseUsage,
  RealtimeServerEvent,
} from "openai/resources/realtime/realtime";
import type { ParleyError } from "../errors/index.ts";
import type { Cost, TokenCounts } from "../pricing/index.ts";
import type { SchedulerEvent } from "../scheduler/events.ts";
import type { ResponseRequest } from "../scheduler/host.ts";
import type { ConversationEntry, ConversationSnapshot } from "./conversation.ts";
import type { HandoffEvent } from "./handoffs.ts";
import type { TurnLatency } from "./latency.ts";
import type {
  ReconnectingEvent,
  RestoredEvent,
  RestoreFailedEvent,
} from "./reconnect/reconnector.ts";
import type { ResponseOrigin } from "./response-types.ts";
import type { ModeChange } from "./text-fallback.ts";

export type ResponseKind = ResponseRequest["kind"];

/** A server-side MCP call's progress (`mcp.call`), from its `mcp_call` item. */
export interface McpCallEvent {
  state: "started" | "failed" | "done";
  itemId: string;
  responseId: string;
  tool: string;
  server: string;
  /** `done` only: the item's error (as text) when it finished with one. */
  error?: string;
}

/** Why a session ended. */
export type CloseReason =
  | "closed" // session.close() was called
  | "socket_closed" // the connection dropped (reason and code in `detail`)
  | "budget" // limits.costBudgetUsd reached; a goodbye was said first
  | "max_session_length" // limits.maxSessionLength reached; a goodbye was said first
  | "ended" // a tool ended it (ctx.session.end(), e.g. end_call) after the agent's answer to its output
  | "error"; // the handshake or an unrecoverable error

/** What the `closed` event carries: why, and the conversation so far (what a reconnect would replay). */
export interface SessionClosed {
  reason: CloseReason;
  /** Human-readable detail: the socket close code and reason, the budget figures, the error message. */
  detail: string;
  /** The WebSocket close code when the socket closed. */
  code?: number;
  conversation: ConversationSnapshot;
  costUsd: number;
}

export interface SessionUsage {
  responseId: string;
  kind: ResponseKind;
  usage: RealtimeResponseUsage | undefined;
  tokens: TokenCounts;
  /** This response's cost; undefined when the model has no price in the table. */
  cost: Cost | undefined;
  /** Running totals for the session. */
  sessionTokens: TokenCounts;
  sessionCostUsd: number;
}

/** A tool event from the scheduler, delivered under its own `type` name. */
export type ToolEvent<T extends SchedulerEvent["type"]> = Extract<SchedulerEvent, { type: T }>;

/**
 * The events of a Session, one payload type per name. Listeners that throw (or reject) are reported as `error`
 * events with code `listener_failed` and never break the session.
 */
export interface SessionEvents {
  /** The user's transcript as it is recognised (input audio transcription). */
  "user.transcript.delta": (e: { itemId: string; delta: string }) => void;
  /** The final transcript of a user item (also emitted for typed text, with the text). */
  "user.transcript.done": (e: { itemId: string; transcript: string }) => void;
  "user.speech.started": (e: { itemId: string; audioStartMs: number }) => void;
  "user.speech.stopped": (e: { itemId: string; audioEndMs: number }) => void;
  /** The agent's words as they are produced (audio transcript, or text in a text-only session). */
  "agent.transcript.delta": (e: {
    itemId: string;
    responseId: string;
    kind: ResponseKind;
    delta: string;
  }) => void;
  "agent.transcript.done": (e: {
    itemId: string;
    responseId: string;
    kind: ResponseKind;
    transcript: string;
  }) => void;
  /** A chunk of agent audio in the session's output format (pcm16 24 kHz mono by default), to play now. */
  "agent.audio": (e: {
    itemId: string;
    responseId: string;
    kind: ResponseKind;
    audio: Buffer;
    ms: number;
  }) => void;
  "agent.audio.done": (e: { itemId: string; responseId: string; kind: ResponseKind }) => void;
  /** A conversation item was added / completed (user message, agent message, function call, output, …). */
  "item.added": (e: { item: ConversationEntry }) => void;
  "item.done": (e: { item: ConversationEntry }) => void;
  "response.started": (e: {
    responseId: string;
    kind: ResponseKind;
    origin: ResponseOrigin;
    outOfBand: boolean;
  }) => void;
  "response.done": (e: {
    responseId: string;
    kind: ResponseKind;
    origin: ResponseOrigin;
    status: RealtimeResponse["status"];
    costUsd: number | undefined;
  }) => void;
  /**
   * A response's first output (an audio, text or transcript delta), once per response: what tracing measures time to
   * first output from, without listening to every protocol event.
   */
  "response.first_output": (e: { responseId: string; kind: ResponseKind }) => void;
  /** A user turn began: the end of the user's input (speech stopped, audio committed, text sent), numbered as `latency`. */
  "user.turn": (e: { turn: number }) => void;
  /** An MCP call the Realtime API runs itself (a server-side `mcp` tool): its item started, failed or finished. */
  "mcp.call": (e: McpCallEvent) => void;
  /** Usage and cost of one response, with the session's running totals. */
  usage: (e: SessionUsage) => void;
  /** Per user turn: end of user input → first agent output, and → first substantive answer. */
  latency: (e: TurnLatency) => void;
  /** The user interrupted; the agent item was truncated at `playedMs`. */
  interrupted: (e: {
    itemId: string | undefined;
    playedMs: number | undefined;
    source: "user" | "server";
  }) => void;
  /** Server error events (as RealtimeServerError) and session failures (SessionError). */
  error: (e: { error: ParleyError }) => void;
  /** Something was not done as asked, but the session goes on (e.g. a voice change refused mid-session). */
  warning: (e: { code: string; message: string }) => void;
  /** The session now runs another agent: a `transfer_to_<name>` call was handled (instructions and tools switched). */
  handoff: (e: HandoffEvent) => void;
  /**
   * The turn is over, decided from protocol state (never from a quiet spell): no response in progress, queued or
   * awaited after the user's speech, the user not speaking, no tool call running or awaiting approval, every output
   * delivered and no answer about one scheduled. Emitted once each time the session becomes idle.
   */
  idle: () => void;
  "budget.exceeded": (e: { spentUsd: number; budgetUsd: number; projectedUsd: number }) => void;
  closed: (e: SessionClosed) => void;
  /**
   * The connection dropped (`network`), the API's cap ended it (`expired`), or the runtime is replacing it before
   * the cap (`recycle`): a new one is being set up (one event per attempt). See docs/runtime.md.
   */
  reconnecting: (e: ReconnectingEvent) => void;
  /** The session carries on over a new connection: same configuration, the conversation replayed. */
  restored: (e: RestoredEvent) => void;
  /** Every attempt failed: `closed` (reason `socket_closed`) follows. */
  restore_failed: (e: RestoreFailedEvent) => void;
  "tool.call": (e: ToolEvent<"tool.call">) => void;
  "tool.state": (e: ToolEvent<"tool.state">) => void;
  "tool.progress": (e: ToolEvent<"tool.progress">) => void;
  "tool.filler": (e: ToolEvent<"tool.filler">) => void;
  "tool.output": (e: ToolEvent<"tool.output">) => void;
  "approval.requested": (e: ToolEvent<"approval.requested">) => void;
  "approval.decided": (e: ToolEvent<"approval.decided">) => void;
  /** A delegate tool's text model answered one request (its tool calls, tokens, cost): docs/delegation.md. */
  "delegation.step": (e: ToolEvent<"delegation.step">) => void;
  /** A delegation ended: answered (the answer, redacted), failed, cancelled or timed out. */
  "delegation.done": (e: ToolEvent<"delegation.done">) => void;
  /**
   * The session switched to text (audio-path failures, or `useText`) or back to audio: `notice` is one line for the
   * user. The conversation is unchanged. See docs/runtime.md (Text fallback).
   */
  "mode.changed": (e: ModeChange) => void;
  /** Every server event, as received (for recorders and debugging UIs; only built when listened to). */
  "server.event": (e: RealtimeServerEvent) => void;
  /** Every client event, as sent. */
  "client.event": (e: RealtimeClientEvent) => void;
}
