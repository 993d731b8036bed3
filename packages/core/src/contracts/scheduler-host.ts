import type {
  RealtimeClientEvent,
  RealtimeConversationItemFunctionCall,
  RealtimeMcpApprovalRequest,
  RealtimeResponseCreateParams,
} from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { DelegationHost } from "../delegate/host.ts";
import type { SchedulerEvent } from "../scheduler/events.ts";
import type { ToolSessionControl, TraceContext } from "../tool/index.ts";
import type { LoadedAgent } from "./agent.ts";
import type { CallLedger } from "./call-ledger.ts";

// The runtime ⇄ scheduler contract: what the runtime gives a tool-call handler, and what it calls on it.

/** A request for the model to speak. Only the runtime's response queue turns these into `response.create`. */
export interface ResponseRequest {
  kind: "answer" | "filler" | "greeting" | "goodbye";
  response?: RealtimeResponseCreateParams;
  /** Asked when the request's turn comes; returning false drops it (a filler whose call has ended, or the user is speaking). */
  stillWanted?: () => boolean;
}

/** The runtime's single door for `response.create`: never two responses in progress, queued answers coalesce. */
export interface ResponseQueue {
  request(req: ResponseRequest): void;
  readonly inProgress: boolean;
  /**
   * Runs `fn` once, when the response now in progress is done (`response.done`, or its slot given back); returns
   * false, keeping nothing, when no response is in progress. The scheduler answers a response's calls only after it.
   */
  afterResponse?(fn: () => void): boolean;
}

/** What the runtime gives the scheduler. */
export interface SchedulerHost {
  send(event: RealtimeClientEvent): void;
  responses: ResponseQueue;
  /** True between `input_audio_buffer.speech_started` and `speech_stopped`. */
  readonly userSpeaking: boolean;
  clock: Clock;
  /**
   * The Realtime session id (`sess_…` from `session.created`), else an id the runtime generated: written to the
   * audit log and sent to approvers so decisions can be traced to the session. Optional.
   */
  readonly sessionId?: string;
  /** Session variables, handed to tools in their context. */
  variables: Record<string, unknown>;
  /** What tools may do to the session (end it, the SIP call id), handed to them as `ctx.session`. Optional. */
  session?: ToolSessionControl;
  /**
   * The session's call ledger: the one owner of call ids and the only sender of `function_call_output`. Optional: a
   * handler used without the runtime gets one per host (see `ledgerOf`).
   */
  ledger?: CallLedger;
  /** Tool lifecycle events for UIs (`tool.call`, `tool.state`, `tool.filler`, `approval.decided`, …). Optional. */
  emit?(event: SchedulerEvent): void;
  /**
   * False when nobody would see an event of this type (no listener, no event stream): its costly fields (a call's
   * redacted arguments) need not be built. Optional: without it every event is built in full.
   */
  listens?(type: SchedulerEvent["type"]): boolean;
  /**
   * A call's state changed and its event was not built (`listens` said nobody would see it): what `emit` does
   * besides delivering (the runtime's idle check) still happens. Optional.
   */
  changed?(): void;
  /** What delegate tools use (the Responses client, history, meters, async delivery). Optional: without it they fail. */
  delegation?: DelegationHost;
  /** The W3C trace context of a call's span, handed to its tool as `ctx.trace`. Optional: only when traced. */
  traceContext?(callId: string): TraceContext | undefined;
}

/**
 * What the runtime calls on the scheduler. The runtime owns the socket and the conversation; the scheduler owns
 * tool calls from `function_call` items to their single `function_call_output`.
 */
export interface CallHandler {
  /** A `function_call` item is complete (from `response.output_item.done` / `response.done`). */
  onFunctionCall(item: RealtimeConversationItemFunctionCall): void;
  /** The API asks whether a remote MCP tool call may run. */
  onMcpApprovalRequest(item: RealtimeMcpApprovalRequest): void;
  onUserSpeechStarted(): void;
  onUserSpeechStopped(): void;
  /** The user interrupted the agent (barge-in or `session.interrupt()`). */
  onInterrupt(): void;
  /**
   * The session now runs another agent (a handoff, or `session.updateAgent`): new calls go to its tools, calls
   * already running finish. Optional: a handler without it keeps its tools (`AgentTools` implements it).
   */
  swap?(agent: LoadedAgent): void;
  /**
   * True while a call runs or waits for approval, or an answer about an output is scheduled. Optional: the runtime
   * decides the end of a turn from it (a handler without it is taken as idle once its outputs are delivered).
   */
  readonly busy?: boolean;
  /** The session is ending: abort running calls (each still gets its one output if the socket is open). */
  close(): Promise<void>;
}
