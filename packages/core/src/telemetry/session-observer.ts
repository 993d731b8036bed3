import type { Attributes, Span } from "@opentelemetry/api";
import type { LoadedAgent } from "../contracts/agent.ts";
import { mcpErrorText } from "../runtime/dispatch.ts";
import type { StreamEvent } from "../runtime/event-stream.ts";
import type { McpCallEvent, SessionEvents } from "../runtime/events.ts";
import { GenAi, LabelSets, Parley, PROVIDER, sessionLabels, withAttributes } from "./attributes.ts";
import { DelegationSpans } from "./delegation-spans.ts";
import type { Instruments } from "./instruments.ts";
import { otel } from "./otel.ts";
import { ResponseSpans } from "./response-spans.ts";
import type { SpanClock } from "./span-clock.ts";
import { ToolSpans } from "./tool-spans.ts";

type Of<T extends StreamEvent["type"]> = Extract<StreamEvent, { type: T }>;
type Payload<K extends keyof SessionEvents> = Parameters<SessionEvents[K]>[0];
/** A protocol event as the stream carries it (`client.event` / `server.event`). */
type Protocol = Extract<StreamEvent, { event: unknown }>;

/** The server events that carry a response's output (its first one is the response's first output). */
const OUTPUT_DELTAS = new Set([
  "response.output_audio.delta",
  "response.output_text.delta",
  "response.output_audio_transcript.delta",
]);

interface Turn {
  span: Span;
  number: number;
  at: number;
  /** The latency event for this turn arrived (its answer started, or it was superseded). */
  measured: boolean;
}

/**
 * One session's spans and metrics, derived from its event stream alone:
 *
 * ```
 * invoke_agent {agent}                      the session, first event → closed
 * ├─ turn                                   end of the user's input → idle (first_audio / first_answer events)
 * │  ├─ chat {model}                        each response: response.created → response.done, tokens, cost
 * │  │  └─ tools/call {tool}                an MCP call the Realtime API runs
 * │  ├─ execute_tool {tool}                 each tool call: tool.call → tool.output, outcome
 * │  │  └─ tool.approval_wait / tool.queue / tool.run
 * │  └─ invoke_agent {tool}                 a delegate tool's call: chat {model} per text-model request,
 * │     └─ chat {model}, execute_tool …     and the tools that model called
 * └─ chat {model}                           responses outside a turn (the greeting, a goodbye)
 * ```
 */
export class SessionObserver {
  readonly #clock: SpanClock;
  readonly #metrics: Instruments;
  readonly #agent: () => LoadedAgent | undefined;
  readonly #tools: ToolSpans;
  readonly #delegations: DelegationSpans;
  #session: Span | undefined;
  #openedAt = 0;
  #labels: Attributes = sessionLabels(undefined);
  /** Metric attribute sets over #labels, made once. */
  readonly #sets = new LabelSets(() => this.#labels);
  #model: string | undefined;
  #turn: Turn | undefined;
  /** Turns a newer one replaced before their latency was reported: ended when it is. */
  readonly #superseded = new Map<number, Turn>();
  #turns = 0;
  readonly #responses: ResponseSpans;
  #restoring = false;
  /** Ids of the user items seen (a resent or replayed one is not a new turn). */
  readonly #userItems = new Set<string>();
  #closed = false;

  constructor(
    clock: SpanClock,
    metrics: Instruments,
    agent: () => LoadedAgent | undefined,
    captureContent: boolean,
  ) {
    this.#clock = clock;
    this.#metrics = metrics;
    this.#agent = agent;
    this.#tools = new ToolSpans(clock, metrics, () => this.#labels, captureContent);
    this.#responses = new ResponseSpans(
      clock,
      metrics,
      () => this.#labels,
      () => this.#model ?? "realtime",
    );
    this.#delegations = new DelegationSpans(
      clock,
      metrics,
      () => this.#labels,
      (id) => this.#tools.spanOf(id),
    );
  }

  /**
   * Hands the histogram records held (every session's, see RecordBatch) to the meter now. An SDK meter takes them at
   * each collection anyway; a meter whose batch callbacks never run (not the SDK's) would otherwise hold up to
   * RECORD_BATCH − 1 of them until more come, and lose them at exit. Done at a session's close and at a detach.
   */
  flushRecords(): void {
    this.#metrics.batch.flush();
  }

  /** The span of a tool call still open (its trace context goes to the tool as `ctx.trace`). */
  callSpan(callId: string): Span | undefined {
    return this.#tools.spanOf(callId);
  }

  handle(e: StreamEvent): void {
    if (this.#closed) return;
    if (!this.#session) this.#open(e.at);
    switch (e.type) {
      case "client.event":
      case "server.event":
        this.protocol(e.type === "client.event", e.event, () => e.at);
        return;
      case "session.started":
        this.#session?.setAttribute(Parley.transport, e.transport);
        return;
      case "user.speech.stopped":
        this.#startTurn(e.at);
        return;
      case "latency":
        this.#latency(e);
        return;
      case "idle":
        this.#endTurn(e.at);
        return;
      case "response.started":
        this.#responses.start(e, e.at, this.#parent());
        return;
      case "usage":
        this.#responses.usage(e);
        return;
      case "response.done":
        this.#responses.end(e, e.at);
        return;
      case "tool.call":
        this.#tools.call(e, this.#parent(), this.#agent());
        return;
      case "tool.state":
        this.#tools.state(e);
        return;
      case "tool.filler":
      case "tool.progress":
        this.#tools.note(e);
        return;
      case "tool.output":
        this.#tools.output(e);
        return;
      case "approval.requested":
        this.#tools.approvalRequested(e, this.#parent());
        return;
      case "approval.decided":
        this.#tools.approvalDecided(e);
        return;
      case "delegation.step":
        this.#delegations.step(e, this.#parent());
        return;
      case "delegation.done":
        this.#delegations.done(e, this.#parent());
        return;
      case "interrupted":
        this.#turn?.span.addEvent(
          "interrupted",
          { "parley.interrupt.source": e.source },
          this.#clock.time(e.at),
        );
        return;
      case "error":
        this.#metrics.errors.add(
          1,
          withAttributes(this.#labels, {
            [GenAi.errorType]: e.error.code ?? e.error.name,
          }),
        );
        this.#session?.addEvent(
          "error",
          {
            [GenAi.errorType]: e.error.code ?? e.error.name,
            "parley.error.message": e.error.message,
          },
          this.#clock.time(e.at),
        );
        return;
      case "reconnecting":
        this.#restoring = true;
        this.#mark(e.type, e.at);
        return;
      case "restored":
      case "restore_failed":
        this.#restoring = false;
        this.#mark(e.type, e.at);
        return;
      case "handoff":
      case "warning":
      case "budget.exceeded":
      case "response.dropped":
        this.#mark(e.type, e.at);
        return;
      case "closed":
        this.#close(e);
        return;
      default:
        return;
    }
  }

  /**
   * A protocol event, sent (`client.event`) or received: most are audio and transcript deltas, so the time is read
   * only when one matters, and a delta costs a map lookup.
   */
  protocol(
    sent: boolean,
    event: { type: string } & Record<string, unknown>,
    now: () => number,
  ): void {
    if (this.#closed) return;
    if (!this.#session) this.#open(now());
    if (sent) this.#clientEvent(event, now);
    else this.#serverEvent(event, now);
  }

  /** Opens the session span now (a session observed from its start), with the model it starts with. */
  open(at: number, model: string): void {
    if (!this.#session) this.#open(at);
    this.model(model);
  }

  /** A user turn began (the runtime's `user.turn`: speech stopped, audio committed, text sent). */
  turnStarted(at: number): void {
    if (!this.#closed) this.#startTurn(at);
  }

  /** The turn is over (the runtime's `idle`, straight from the session: no stream event built). */
  idle(at: number): void {
    if (!this.#closed) this.#endTurn(at);
  }

  /** A response's first output (the runtime's `response.first_output`). */
  firstOutput(responseId: string, at: number): void {
    if (!this.#closed) this.#responses.output(responseId, () => at);
  }

  /** A response began (the runtime's `response.started`, straight from the session: no stream event built). */
  responseStarted(e: Payload<"response.started">, at: number): void {
    if (!this.#closed) this.#responses.start(e, at, this.#parent());
  }

  /** A response's usage and cost (the runtime's `usage`). */
  usage(e: Payload<"usage">): void {
    if (!this.#closed) this.#responses.usage(e);
  }

  /** A response ended (the runtime's `response.done`). */
  responseDone(e: Payload<"response.done">, at: number): void {
    if (!this.#closed) this.#responses.end(e, at);
  }

  /** A server-side MCP call's item started, failed or finished (the runtime's `mcp.call`). */
  mcpCall(e: McpCallEvent, at: number): void {
    if (!this.#closed) this.#tools.mcp(e, at, (id) => this.#responses.spanOf(id) ?? this.#parent());
  }

  /** The session's first event: its span opens. */
  #open(at: number): void {
    const agent = this.#agent()?.name;
    this.#labels = sessionLabels(agent);
    this.#openedAt = at;
    this.#session = this.#clock.start(`invoke_agent ${agent ?? "realtime"}`, at, undefined, {
      [GenAi.operationName]: "invoke_agent",
      [GenAi.providerName]: PROVIDER,
      [GenAi.system]: PROVIDER,
      ...(agent ? { [GenAi.agentName]: agent } : {}),
    });
    this.#metrics.activeSessions.add(1, this.#labels);
  }

  /** Where a span opened now belongs: the turn in progress, else the session. */
  #parent(): Span | undefined {
    return this.#turn?.span ?? this.#session;
  }

  #mark(name: string, at: number): void {
    this.#session?.addEvent(name, undefined, this.#clock.time(at));
  }

  #clientEvent(event: Protocol["event"], now: () => number): void {
    if (event.type === "session.update") this.#setModel(event.session);
    else if (event.type === "input_audio_buffer.commit") this.#startTurn(now());
    else if (event.type === "conversation.item.create" && !this.#restoring) {
      // What the user typed or showed. The replay after a reconnect, and an item sent again because its connection
      // died, carry an id already seen: not a new turn.
      const item = event.item as { type?: string; role?: string; id?: string } | undefined;
      if (item?.type !== "message" || item.role !== "user") return;
      if (item.id) {
        if (this.#userItems.has(item.id)) return;
        this.#userItems.add(item.id);
      }
      this.#startTurn(now());
    }
  }

  #serverEvent(event: Protocol["event"], now: () => number): void {
    if (OUTPUT_DELTAS.has(event.type)) {
      this.#responses.output(event.response_id as string, now);
    } else if (event.type === "session.created" || event.type === "session.updated")
      this.#setModel(event.session);
    else if (
      event.type.startsWith("response.output_item.") ||
      event.type === "response.mcp_call.failed"
    ) {
      const mcp = mcpCallOf(event);
      if (mcp) this.mcpCall(mcp, now());
    }
  }

  #setModel(session: unknown): void {
    const model = (session as { model?: unknown } | undefined)?.model;
    if (typeof model === "string") this.model(model);
  }

  /** The model the session runs now (names the response spans). */
  model(model: string): void {
    if (model === this.#model) return;
    this.#model = model;
    this.#session?.setAttribute(GenAi.requestModel, model);
  }

  #startTurn(at: number): void {
    const previous = this.#turn;
    if (previous) {
      previous.span.setAttribute(Parley.superseded, true);
      if (previous.measured) previous.span.end(this.#clock.time(at));
      else this.#superseded.set(previous.number, previous);
    }
    const number = ++this.#turns;
    const span = this.#clock.start("turn", at, this.#session, { [Parley.turn]: number });
    this.#turn = { span, number, at, measured: false };
  }

  #latency(e: Of<"latency">): void {
    const labels = this.#labels;
    this.#metrics.turns.add(1, labels);
    const filler =
      e.firstAudioMs !== null && e.firstAnswerMs !== null && e.firstAudioMs < e.firstAnswerMs;
    if (e.firstAudioMs !== null)
      this.#metrics.firstAudio.record(
        e.firstAudioMs / 1000,
        this.#sets.get(filler ? "filler" : "direct", () => ({ [Parley.fillerFirst]: filler })),
      );
    if (e.firstAnswerMs !== null) this.#metrics.firstAnswer.record(e.firstAnswerMs / 1000, labels);
    const turn = this.#turn?.number === e.turn ? this.#turn : this.#superseded.get(e.turn);
    if (!turn) return;
    turn.measured = true;
    const { span } = turn;
    if (e.firstAudioMs !== null) {
      span.setAttribute(Parley.firstAudioMs, e.firstAudioMs);
      span.addEvent(
        "first_audio",
        { [Parley.fillerFirst]: filler },
        this.#clock.time(turn.at + e.firstAudioMs),
      );
    }
    if (e.firstAnswerMs !== null) {
      span.setAttributes({ [Parley.firstAnswerMs]: e.firstAnswerMs, [Parley.fillerFirst]: filler });
      span.addEvent("first_answer", undefined, this.#clock.time(turn.at + e.firstAnswerMs));
    } else {
      // No answer: a newer turn replaced this one.
      span.setAttribute(Parley.superseded, true);
      this.#superseded.delete(turn.number);
      if (turn === this.#turn) this.#turn = undefined;
      span.end(this.#clock.time(e.at));
    }
  }

  #endTurn(at: number): void {
    const turn = this.#turn;
    if (!turn) return;
    this.#turn = undefined;
    turn.span.end(this.#clock.time(at));
  }

  #close(e: Of<"closed">): void {
    this.#closed = true;
    const time = this.#clock.time(e.at);
    this.#tools.closeAll(e.at);
    this.#delegations.closeAll(e.at);
    this.#responses.closeAll(e.at);
    for (const turn of this.#superseded.values()) turn.span.end(time);
    this.#superseded.clear();
    this.#endTurn(e.at);
    const session = this.#session;
    if (!session) return;
    session.setAttributes({
      [GenAi.conversationId]: e.sessionId,
      [Parley.closeReason]: e.reason,
      [Parley.costUsd]: e.costUsd,
      "parley.session.turns": this.#turns,
    });
    if (e.reason === "error")
      session.setStatus({ code: otel().SpanStatusCode.ERROR, message: e.detail });
    session.end(time);
    this.#metrics.activeSessions.add(-1, this.#labels);
    this.#metrics.sessions.add(1, withAttributes(this.#labels, { [Parley.closeReason]: e.reason }));
    this.#metrics.sessionDuration.record((e.at - this.#openedAt) / 1000, this.#labels);
    this.flushRecords();
  }
}

/** The `mcp.call` a protocol event of the stream stands for (a log read back has no typed `mcp.call`). */
function mcpCallOf(event: Protocol["event"]): McpCallEvent | undefined {
  if (event.type === "response.mcp_call.failed")
    return { state: "failed", itemId: String(event.item_id), responseId: "", tool: "", server: "" };
  const item = event.item as
    | { type?: string; id?: string; name?: string; server_label?: string; error?: unknown }
    | undefined;
  if (item?.type !== "mcp_call" || !item.id) return undefined;
  const done = event.type === "response.output_item.done";
  if (!done && event.type !== "response.output_item.added") return undefined;
  return {
    state: done ? "done" : "started",
    itemId: item.id,
    responseId: String(event.response_id ?? ""),
    tool: item.name ?? "",
    server: item.server_label ?? "",
    ...(done && item.error != null ? { error: mcpErrorText(item.error) } : {}),
  };
}
