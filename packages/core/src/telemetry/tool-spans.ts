import type { Attributes, Span } from "@opentelemetry/api";
import type { LoadedAgent } from "../contracts/agent.ts";
import { redactString } from "../log/redact.ts";
import type { StreamEvent } from "../runtime/event-stream.ts";
import type { McpCallEvent } from "../runtime/events.ts";
import type { CallState } from "../scheduler/call-state.ts";
import { GenAi, LabelSets, Parley, withAttributes } from "./attributes.ts";
import type { Instruments } from "./instruments.ts";
import { otel } from "./otel.ts";
import type { SpanClock } from "./span-clock.ts";
import { toolSpanShape } from "./tool-kind.ts";

type Of<T extends StreamEvent["type"]> = Extract<StreamEvent, { type: T }>;

/** The states a call waits or works in, each traced as a child span of the call. */
const PHASES: Partial<Record<CallState, { name: string; ms: string }>> = {
  awaiting_approval: { name: "tool.approval_wait", ms: Parley.approvalMs },
  queued: { name: "tool.queue", ms: Parley.queueMs },
  running: { name: "tool.run", ms: Parley.runMs },
};

/** Outcomes that are the tool's failure (a refusal or a cancellation is a decision, not an error). */
const FAILED = new Set<string>(["failed", "timed_out"]);

interface OpenCall {
  span: Span;
  tool: string;
  at: number;
  phase?: { span: Span; state: CallState; at: number };
  approvalMs?: number;
}

/** Most text an attribute carries when content capture is on (tool arguments and results). */
const MAX_CONTENT = 4096;

/**
 * The spans of tool calls: one per call (`execute_tool {tool}`, from `tool.call` to `tool.output`) with a child
 * per phase it went through (approval wait, queue, run), its approval, fillers and progress as span events, and
 * its outcome; and one per MCP call the Realtime API runs itself (`tools/call {tool}`, from its `mcp_call` item).
 */
export class ToolSpans {
  readonly #calls = new Map<string, OpenCall>();
  readonly #mcp = new Map<string, { span: Span; failed: boolean; tool: string; server: string }>();
  readonly #approvals = new Map<string, Span>();
  /** Metric attribute sets, made once per tool and outcome. */
  readonly #sets: LabelSets;

  constructor(
    private readonly clock: SpanClock,
    private readonly metrics: Instruments,
    labels: () => Attributes,
    private readonly captureContent: boolean,
  ) {
    this.#sets = new LabelSets(labels);
  }

  /** The open span of a call (a delegation's model requests and nested calls go under it). */
  spanOf(callId: string): Span | undefined {
    return this.#calls.get(callId)?.span;
  }

  call(e: Of<"tool.call">, parent: Span | undefined, agent: LoadedAgent | undefined): void {
    const shape = toolSpanShape(e.tool, agent);
    // A delegate's text model calling a tool: nested under the delegation, not the turn.
    const under = (e.parentCallId && this.spanOf(e.parentCallId)) || parent;
    const span = this.clock.start(
      shape.name,
      e.at,
      under,
      withAttributes(shape.attributes, { [GenAi.toolCallId]: e.callId }),
    );
    // Redacting content costs a walk of it: only for a span that is recorded.
    if (this.captureContent && span.isRecording())
      span.setAttribute(GenAi.toolArguments, content(e.arguments));
    this.#calls.set(e.callId, { span, tool: e.tool, at: e.at });
  }

  state(e: Of<"tool.state">): void {
    const call = this.#calls.get(e.callId);
    if (!call) return;
    this.#endPhase(call, e.at);
    const phase = PHASES[e.to];
    if (phase)
      call.phase = {
        span: this.clock.start(phase.name, e.at, call.span, { [GenAi.toolName]: e.tool }),
        state: e.to,
        at: e.at,
      };
  }

  approvalRequested(e: Of<"approval.requested">, parent: Span | undefined): void {
    const attrs = { [Parley.approver]: e.approver, [Parley.approvalReason]: e.reason };
    const call = this.#calls.get(e.callId);
    if (call) {
      (call.phase?.span ?? call.span).addEvent("approval.requested", attrs, this.clock.time(e.at));
      return;
    }
    // An MCP approval the Realtime API asks for: no scheduler call, so the wait is a span of its own.
    this.#approvals.set(
      e.callId,
      this.clock.start(
        `approval ${e.tool}`,
        e.at,
        parent,
        withAttributes(attrs, { [GenAi.toolName]: e.tool, [Parley.mcpSide]: "server" }),
      ),
    );
  }

  approvalDecided(e: Of<"approval.decided">): void {
    const attrs = {
      [Parley.approver]: e.approver,
      [Parley.approved]: e.approved,
      ...(e.reason ? { [Parley.approvalReason]: e.reason } : {}),
    };
    const call = this.#calls.get(e.callId);
    if (call) {
      call.span.setAttributes(attrs);
      (call.phase?.span ?? call.span).addEvent("approval.decided", attrs, this.clock.time(e.at));
      return;
    }
    const span = this.#approvals.get(e.callId);
    if (!span) return;
    this.#approvals.delete(e.callId);
    span.setAttributes(attrs);
    span.end(this.clock.time(e.at));
  }

  /** A filler or progress line said while the call waits or runs. */
  note(e: Of<"tool.filler"> | Of<"tool.progress">): void {
    const call = this.#calls.get(e.callId);
    if (!call?.span.isRecording()) return;
    const attrs: Attributes =
      e.type === "tool.filler"
        ? { [Parley.phase]: e.phase, "parley.filler.source": e.source }
        : { "parley.progress.message": e.message };
    (call.phase?.span ?? call.span).addEvent(e.type, attrs, this.clock.time(e.at));
  }

  output(e: Of<"tool.output">): void {
    const call = this.#calls.get(e.callId);
    if (!call) return;
    this.#calls.delete(e.callId);
    this.#endPhase(call, e.at);
    const ms = e.ms ?? e.at - call.at;
    const failed = FAILED.has(e.state);
    if (call.span.isRecording())
      call.span.setAttributes({
        [Parley.outcome]: e.state,
        [Parley.toolMs]: ms,
        [Parley.outputChars]: e.output.length,
        ...(this.captureContent ? { [GenAi.toolResult]: content(e.output) } : {}),
        ...(failed ? { [GenAi.errorType]: e.state } : {}),
      });
    if (failed) call.span.setStatus({ code: otel().SpanStatusCode.ERROR, message: e.state });
    call.span.end(this.clock.time(e.at));
    const labels = this.#sets.get(`call\0${e.tool}\0${e.state}`, () => ({
      [GenAi.toolName]: e.tool,
      [Parley.outcome]: e.state,
    }));
    this.metrics.toolCalls.add(1, labels);
    this.metrics.toolDuration.record(ms / 1000, labels);
    if (call.approvalMs !== undefined)
      this.metrics.approvalWait.record(
        call.approvalMs / 1000,
        this.#sets.get(`approval\0${e.tool}`, () => ({ [GenAi.toolName]: e.tool })),
      );
  }

  /** MCP calls the Realtime API runs (server-side `mcp` tools), from the runtime's `mcp.call` events. */
  mcp(e: McpCallEvent, at: number, parent: (responseId: string) => Span | undefined): void {
    if (e.state === "started") {
      const span = this.clock.start(
        `tools/call ${e.tool}`,
        at,
        parent(e.responseId),
        {
          [GenAi.operationName]: "execute_tool",
          [GenAi.mcpMethod]: "tools/call",
          [GenAi.toolName]: e.tool,
          [GenAi.toolType]: "extension",
          [GenAi.toolCallId]: e.itemId,
          [Parley.mcpServer]: e.server,
          [Parley.mcpSide]: "server",
        },
        true,
      );
      this.#mcp.set(e.itemId, { span, failed: false, tool: e.tool, server: e.server });
      return;
    }
    const open = this.#mcp.get(e.itemId);
    if (!open) return;
    if (e.state === "failed") {
      open.failed = true;
      return;
    }
    this.#mcp.delete(e.itemId);
    const failed = open.failed || e.error !== undefined;
    const outcome = failed ? "failed" : "completed";
    open.span.setAttribute(Parley.outcome, outcome);
    if (failed) {
      open.span.setAttribute(GenAi.errorType, "tool_error");
      open.span.setStatus({
        code: otel().SpanStatusCode.ERROR,
        message: content(e.error ?? "failed"),
      });
    }
    open.span.end(this.clock.time(at));
    this.metrics.mcpCalls.add(
      1,
      this.#sets.get(`mcp\0${open.server}\0${open.tool}\0${outcome}`, () => ({
        [GenAi.toolName]: open.tool,
        [Parley.mcpServer]: open.server,
        [Parley.outcome]: outcome,
      })),
    );
  }

  /** The session ended: whatever is still open ends now, marked unfinished. */
  closeAll(at: number): void {
    const time = this.clock.time(at);
    for (const call of this.#calls.values()) {
      this.#endPhase(call, at);
      call.span.setAttribute(Parley.outcome, "unfinished");
      call.span.end(time);
    }
    for (const open of this.#mcp.values()) {
      open.span.setAttribute(Parley.outcome, "unfinished");
      open.span.end(time);
    }
    for (const span of this.#approvals.values()) span.end(time);
    this.#calls.clear();
    this.#mcp.clear();
    this.#approvals.clear();
  }

  #endPhase(call: OpenCall, at: number): void {
    const phase = call.phase;
    if (!phase) return;
    call.phase = undefined;
    const ms = at - phase.at;
    const attr = PHASES[phase.state]?.ms;
    if (attr) call.span.setAttribute(attr, ms);
    if (phase.state === "awaiting_approval") call.approvalMs = ms;
    phase.span.end(this.clock.time(at));
  }
}

/** Content for an attribute, redacted and cut to MAX_CONTENT characters. */
function content(value: unknown): string {
  const text = redactString(typeof value === "string" ? value : (JSON.stringify(value) ?? ""));
  return text.length > MAX_CONTENT ? `${text.slice(0, MAX_CONTENT)}…` : text;
}
