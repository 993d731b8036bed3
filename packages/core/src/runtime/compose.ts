import type { RealtimeServerEvent, SessionUpdateEvent } from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { LoadedAgent } from "../contracts/agent.ts";
import { CallLedger } from "../contracts/call-ledger.ts";
import type { Logger } from "../log/index.ts";
import type { CallHandler } from "../scheduler/host.ts";
import type { Transport, TransportFactory } from "../transport/transport.ts";
import { AgentSwitch, type AgentSwitchDeps } from "./agent-switch.ts";
import { AudioClock } from "./audio-clock.ts";
import { CallRouter } from "./calls.ts";
import { LatencyHooksOf, OutboundHooks, QueueHooks, WireHooksOf } from "./compose-hooks.ts";
import {
  FallbackHooks,
  HandoffHooks,
  InterruptionHooks,
  LifecycleHooks,
} from "./compose-hooks-session.ts";
import { ConversationRecord } from "./conversation.ts";
import { type DispatchContext, Dispatcher } from "./dispatch.ts";
import { SessionError } from "./errors.ts";
import { EventStream, type StreamEventType, type StreamHooks } from "./event-stream.ts";
import type { SessionEvents } from "./events.ts";
import { Handoffs } from "./handoffs.ts";
import type { InternalBus, RuntimeEvents } from "./internal-events.ts";
import { Interruptions } from "./interruption.ts";
import { LatencyTracker } from "./latency.ts";
import { Lifecycle } from "./lifecycle.ts";
import { CostMeter } from "./meter.ts";
import { reactions } from "./reactions.ts";
import type { ReconnectSettings } from "./reconnect/options.ts";
import { Outbound } from "./reconnect/outbound.ts";
import { SessionReconnect, type SessionReconnectDeps } from "./reconnect/session-reconnect.ts";
import { ResponseQueue } from "./response-queue.ts";
import type { SafeEmitter } from "./safe-emitter.ts";
import { SessionToolHost } from "./scheduler-host.ts";
import type { SessionInit } from "./session-init.ts";
import { SessionState } from "./session-state.ts";
import { TextFallback } from "./text-fallback.ts";
import { TurnWatch, type TurnWatchDeps } from "./turn-watch.ts";
import { Wire } from "./wire.ts";

/** The given variables of a session made without any (replaced, never edited in place). */
const NO_VARIABLES: Readonly<Record<string, unknown>> = Object.freeze({});

/** A session's parts, wired: what the public Session (session.ts) and the handshake (handshake.ts) work with. */
export interface SessionParts {
  readonly init: SessionInit;
  readonly state: SessionState;
  readonly events: SafeEmitter<SessionEvents>;
  /** The dispatcher's internal events, delivered to the session's reactions (reactions.ts). */
  readonly bus: InternalBus;
  /** A server event for the dispatcher (the handshake's replies straight to their reactions). */
  /** A server event for the dispatcher; `now`: the clock's reading for it, when the caller took one. */
  dispatch(e: RealtimeServerEvent, now?: number): void;
  /** The one event stream (made on first use: the first `onEvent`). */
  readonly stream: EventStream;
  /** True while one of the event stream's listeners takes events of this type (see EventStream.wants). */
  streamWants(type: string): boolean;
  /**
   * A protocol event the stream's line listeners take straight from its frame (EventStream.frame); false while no
   * stream is made.
   */
  streamFrame(
    event: object,
    text: string | undefined,
    type: "server.event" | "client.event",
    now?: number,
  ): boolean;
  /** Hands the stream a frame's text as received, when there is a stream (EventStream.frameText). */
  streamFrameText(event: object, text: string | undefined): void;
  /** Pushes to the event stream when it has a listener. */
  streamPush(type: StreamEventType, payload: unknown): void;
  readonly conversation: ConversationRecord;
  readonly wire: Wire;
  readonly responses: ResponseQueue;
  readonly meter: CostMeter;
  readonly audio: AudioClock;
  readonly latency: LatencyTracker;
  /** The one owner of call ids and sender of `function_call_output`. */
  readonly ledger: CallLedger;
  readonly calls: CallRouter;
  /** The tool-call handler (the scheduler), whether or not the call router is made yet (made when a lazy one is asked for). */
  handler: CallHandler | undefined;
  /** Attaches the session's tool-call handler (`init.tools`): built now, or on first use when the factory is `lazy`. */
  attachTools(): void;
  readonly interruptions: Interruptions;
  readonly life: Lifecycle;
  /** Which agent runs, its variables and budget, and the switch to another. */
  readonly agents: AgentSwitch;
  /** Client events of the runtime's own parts: guarded, and held while the connection is restored. */
  readonly outbound: Outbound;
  readonly reconnect: SessionReconnect;
  readonly turn: TurnWatch;
  /** Audio-path failures switch the session to text and back (text-fallback.ts). */
  readonly fallback: TextFallback;
  /** The text fallback if made (before, the session is in audio mode and has counted no failure). */
  readonly fallbackIfMade: TextFallback | undefined;
  /** The outbound part if made (before, nothing was sent through it). */
  readonly outboundIfMade: Outbound | undefined;
  /** The server applied new settings: the parts made from them follow. */
  settingsChanged(): void;
  /** The text fallback reads a server event. */
  fallbackReads(e: RealtimeServerEvent): void;
  /** Aborted at the close: async delegations still running stop. Made on first use (most sessions delegate nothing). */
  delegations(): AbortSignal;
  /** True from the handshake until `close()` or a drop that is not restored. */
  open(): boolean;
  /** True until the turn is over, the connection's restore included (see Session.busy). */
  busy(): boolean;
  /** Sends a `session.update` and waits for its `session.updated`; it is then the update in force. */
  update(update: SessionUpdateEvent): Promise<void>;
  /** open → session.created → `update` → session.updated, on the current transport. */
  connect(update: SessionUpdateEvent): Promise<void>;
  /** Throws `session_closed` when the session is not open. */
  assertOpen(): void;
}

/**
 * The composition root: builds a session's parts and wires them. Parts get what they need as small explicit
 * dependencies; the server's events reach them as typed internal events (InternalBus, see reactions.ts); application
 * events go to `events` (the Session), which also feeds the one event stream.
 */
export function composeSession(
  init: SessionInit,
  events: SafeEmitter<SessionEvents>,
  transport: Transport | undefined = init.transport,
): SessionParts {
  return new ComposedSession(init, events, transport);
}

/**
 * The parts of one session and the few things they ask of each other. Each part's dependencies are a small object
 * of prototype methods over this one (compose-hooks.ts), not a closure per callback: an idle session holds its
 * parts' state and little else (the peers bench's idle memory).
 */
export class ComposedSession
  extends TurnWatch
  implements
    SessionParts,
    StreamHooks,
    TurnWatchDeps,
    DispatchContext,
    SessionReconnectDeps,
    AgentSwitchDeps
{
  readonly init: SessionInit;
  readonly state: SessionState;
  readonly events: SafeEmitter<SessionEvents>;
  readonly wire: Wire;
  readonly agents: AgentSwitch;
  readonly reconnect: SessionReconnect;
  // The parts an idle session never touches are made on first use (the getters below): a connected, configured
  // session that has not spoken yet holds only the wire, its state, the agent, the reconnect timer and the dispatch.
  /** The parts made on first use, in one object made with the first of them (an idle session holds one field). */
  #late: LateParts | undefined;
  /**
   * The tool-call handler, kept here until the call router is made (it is then the router's); `null` while a lazy
   * factory's handler waits to be built on first use.
   */
  #handler: CallHandler | null | undefined;

  constructor(
    init: SessionInit,
    events: SafeEmitter<SessionEvents>,
    transport: Transport | undefined = init.transport,
  ) {
    super();
    if (!transport) throw new SessionError("missing_transport", "a session needs a transport");
    this.init = init;
    this.events = events;
    this.state = new SessionState(init.update, init.budgetUsd);
    this.wire = new Wire(transport, init.clock, init.log, new WireHooksOf(this));
    this.agents = new AgentSwitch(this, init.agent);
    this.reconnect = new SessionReconnect(this);
  }

  #lateOf(): LateParts {
    this.#late ??= new LateParts();
    return this.#late;
  }

  /** The session watches its own turns (it extends TurnWatch). */
  get turn(): TurnWatch {
    return this;
  }

  /** The session is its own internal-event bus (no object of its own per session): `emit` runs the reaction. */
  get bus(): InternalBus {
    return this;
  }

  /** @internal An internal event (not a session event: those go to `events`), handled by the shared reactions. */
  emit<K extends keyof RuntimeEvents>(
    name: K,
    ...payload: RuntimeEvents[K] extends undefined ? [] : [RuntimeEvents[K]]
  ): void {
    reactions[name](this, payload[0] as RuntimeEvents[K]);
  }

  /** The server's events, mapped to session events and internal ones (dispatch.ts). */
  get dispatcher(): Dispatcher {
    const late = this.#lateOf();
    late.dispatcher ??= new Dispatcher(this);
    return late.dispatcher;
  }

  /**
   * A server event for the dispatcher. The handshake's replies go straight to their reactions, as the dispatcher
   * would send them: a session that has only been configured runs no dispatcher (nor holds one).
   */
  dispatch(e: RealtimeServerEvent, now?: number): void {
    if (e.type === "session.created" || e.type === "session.updated") this.emit(e.type, e as never);
    else this.dispatcher.dispatch(e, now);
  }

  // What the agent switch asks (AgentSwitchDeps): the session answers it itself.

  get compileAgent(): ((agent: LoadedAgent) => SessionUpdateEvent) | undefined {
    return this.init.compile;
  }

  get givenVariables(): Readonly<Record<string, unknown>> {
    return this.init.givenVariables ?? NO_VARIABLES;
  }

  /** An agent's update goes out as the text fallback has it (kept in text while the session is). */
  sendAgentUpdate(next: SessionUpdateEvent): Promise<void> {
    const fallback = this.#late?.fallback;
    return this.update(fallback ? fallback.adjust(next) : next);
  }

  agentVoice(): string | undefined {
    return this.state.settings.voice;
  }

  agentSpoke(): boolean {
    return this.state.spoke;
  }

  agentSwitched(agent: LoadedAgent): void {
    // The new agent's limits apply from now on (spend and time so far count against them).
    this.state.budgetUsd = agent.config.limits?.costBudgetUsd;
    this.life.limitLength(agent.config.limits?.maxSessionLength, this.state.startedAt);
    this.handler?.swap?.(agent);
  }

  switchWarning(code: string, message: string): void {
    this.events.emit("warning", { code, message });
  }

  switchFailed(error: SessionError): void {
    this.events.emit("error", { error });
  }

  // What the reconnect asks beyond the parts (SessionReconnectDeps): the session answers it itself.

  get reconnectSettings(): ReconnectSettings | undefined {
    return this.init.reconnect;
  }

  get transportFactory(): TransportFactory | undefined {
    return this.init.transportFactory;
  }

  get callId(): string | undefined {
    return this.init.callId;
  }

  announceLine(): string | undefined {
    const agent = this.agents.agent;
    return agent ? this.init.announceOf?.(agent) : undefined;
  }

  get stream(): EventStream {
    const late = this.#lateOf();
    late.stream ??= new EventStream(this.init.clock, this);
    return late.stream;
  }

  /** True while one of the event stream's listeners takes events of this type (no stream made for asking). */
  streamWants(type: string): boolean {
    return this.#late?.stream?.wants(type) ?? false;
  }

  // An app's own server.event / client.event listener, with no stream listener, makes no stream through these.
  streamFrame(
    event: object,
    text: string | undefined,
    type: "server.event" | "client.event",
    now?: number,
  ): boolean {
    return this.#late?.stream?.frame(event, text, type, now) ?? false;
  }

  streamFrameText(event: object, text: string | undefined): void {
    this.#late?.stream?.frameText(event, text);
  }

  /** Pushes to the event stream when it has a listener (an event nobody hears makes no stream). */
  streamPush(type: StreamEventType, payload: unknown): void {
    const stream = this.#late?.stream;
    if (stream?.active) stream.push(type, payload);
  }

  get conversation(): ConversationRecord {
    const late = this.#lateOf();
    late.conversation ??= new ConversationRecord();
    return late.conversation;
  }

  get responses(): ResponseQueue {
    const late = this.#lateOf();
    late.responses ??= new ResponseQueue(new QueueHooks(this));
    return late.responses;
  }

  get meter(): CostMeter {
    const late = this.#lateOf();
    late.meter ??= new CostMeter(this.state.settings.model, this.init.prices);
    return late.meter;
  }

  get audio(): AudioClock {
    const late = this.#lateOf();
    late.audio ??= new AudioClock(this.state.settings.outputBytesPerMs);
    return late.audio;
  }

  /** The server applied new settings: the parts made from them follow (parts not made yet read them when made). */
  settingsChanged(): void {
    const settings = this.state.settings;
    const late = this.#late;
    if (late?.meter) late.meter.model = settings.model;
    late?.audio?.setFormat(settings.outputBytesPerMs);
  }

  get latency(): LatencyTracker {
    const late = this.#lateOf();
    late.latency ??= new LatencyTracker(new LatencyHooksOf(this));
    return late.latency;
  }

  get outbound(): Outbound {
    const late = this.#lateOf();
    late.outbound ??= new Outbound(new OutboundHooks(this));
    return late.outbound;
  }

  /** The outbound part, if made: nothing was sent through it before then (no item waits for confirmation). */
  get outboundIfMade(): Outbound | undefined {
    return this.#late?.outbound;
  }

  get ledger(): CallLedger {
    const late = this.#lateOf();
    late.ledger ??= new CallLedger(this.outbound.send);
    return late.ledger;
  }

  get calls(): CallRouter {
    const late = this.#lateOf();
    if (!late.calls) {
      const calls = new CallRouter(this.ledger, this.outbound.send, this.responses, this.init.log);
      calls.handler = this.handler;
      calls.handoffs = new Handoffs(new HandoffHooks(this));
      this.#handler = undefined;
      late.calls = calls;
    }
    return late.calls;
  }

  /**
   * The call router if there is anything to close: made, or a tool handler made without it (an eager factory's);
   * undefined for a session that never had a call and whose lazy handler was never built (nothing to close).
   */
  get callsIfMade(): CallRouter | undefined {
    const calls = this.#late?.calls;
    if (calls) return calls;
    return this.#handler ? this.calls : undefined;
  }

  /** The tool-call handler (the scheduler), whether or not the call router is made yet. */
  get handler(): CallHandler | undefined {
    const calls = this.#late?.calls;
    if (calls) return calls.handler;
    if (this.#handler === null)
      this.#handler = this.init.tools ? this.init.tools(new SessionToolHost(this)) : undefined;
    return this.#handler;
  }

  set handler(handler: CallHandler | undefined) {
    const calls = this.#late?.calls;
    if (calls) calls.handler = handler;
    else this.#handler = handler;
  }

  attachTools(): void {
    const factory = this.init.tools;
    if (!factory) return;
    if (factory.lazy) this.#handler = null;
    else this.handler = factory(new SessionToolHost(this));
  }

  get interruptions(): Interruptions {
    const late = this.#lateOf();
    late.interruptions ??= new Interruptions(new InterruptionHooks(this));
    return late.interruptions;
  }

  get life(): Lifecycle {
    const late = this.#lateOf();
    late.life ??= new Lifecycle(new LifecycleHooks(this));
    return late.life;
  }

  get fallback(): TextFallback {
    const late = this.#lateOf();
    late.fallback ??= new TextFallback(new FallbackHooks(this), this.init.textFallback);
    return late.fallback;
  }

  get fallbackIfMade(): TextFallback | undefined {
    return this.#late?.fallback;
  }

  /** The text fallback reads a server event: made for the events that can start a switch, else only if made. */
  fallbackReads(e: RealtimeServerEvent): void {
    const fallback = this.#late?.fallback;
    if (fallback) fallback.serverEvent(e);
    else if (TextFallback.reads(e)) this.fallback.serverEvent(e);
  }

  // What the event stream, the turn watch and the dispatcher ask of the session: this object answers them itself
  // (their own hook objects would cost every idle session one object each).

  get clock(): Clock {
    return this.init.clock;
  }

  get log(): Logger {
    return this.init.log;
  }

  sessionId(): string {
    return this.state.id;
  }

  streamListenerFailed(error: unknown): void {
    this.events.listenerFailed(error, "stream");
  }

  /** The turn is over and nothing is pending (TurnWatch): listeners hear `idle`; a recycle that came due runs. */
  idle(): void {
    this.events.emit("idle");
    this.reconnect.idle();
  }

  /** True for a response cut off by an interruption (its trailing audio is dropped). */
  muted(responseId: string): boolean {
    return this.#late?.interruptions?.isMuted(responseId) ?? false;
  }

  textOnly(): boolean {
    return this.state.settings.textOnly;
  }

  delegations(): AbortSignal {
    const late = this.#lateOf();
    if (!late.delegations) {
      late.delegations = new AbortController();
      if (late.ended) late.delegations.abort();
    }
    return late.delegations.signal;
  }

  /** The session ended: async delegations still running stop. */
  ended(): void {
    const late = this.#lateOf();
    late.ended = true;
    late.delegations?.abort();
  }

  open(): boolean {
    return !this.#late?.life?.closing && (this.wire.isOpen || this.reconnect.restoring);
  }

  busy(): boolean {
    return (
      this.open() &&
      (this.reconnect.restoring ||
        this.#late?.responses?.settled === false ||
        (this.#late?.calls !== undefined ? this.#late.calls.busy : this.#handler?.busy === true))
    );
  }

  assertOpen(): void {
    if (!this.open())
      throw new SessionError(
        "session_closed",
        "the session is closed; start a new one with startSession()",
      );
  }

  async update(next: SessionUpdateEvent): Promise<void> {
    const wire = this.wire;
    const eventId = wire.nextId("session_update");
    const done = wire.waitFor("session.updated", this.init.timeoutMs, eventId);
    wire.send({ ...next, event_id: eventId });
    await done;
    this.state.currentUpdate = next;
  }

  async connect(next: SessionUpdateEvent): Promise<void> {
    const created = this.wire.waitFor("session.created", this.init.timeoutMs);
    created.catch(() => {}); // awaited below; a failed connect is reported by opened()
    await this.wire.opened(this.init.timeoutMs);
    await created;
    await this.update(next);
  }
}

/** A session's parts made on first use (compose.ts): all absent until the session first needs one of them. */
class LateParts {
  dispatcher: Dispatcher | undefined = undefined;
  stream: EventStream | undefined = undefined;
  conversation: ConversationRecord | undefined = undefined;
  responses: ResponseQueue | undefined = undefined;
  meter: CostMeter | undefined = undefined;
  audio: AudioClock | undefined = undefined;
  latency: LatencyTracker | undefined = undefined;
  ledger: CallLedger | undefined = undefined;
  calls: CallRouter | undefined = undefined;
  interruptions: Interruptions | undefined = undefined;
  life: Lifecycle | undefined = undefined;
  outbound: Outbound | undefined = undefined;
  fallback: TextFallback | undefined = undefined;
  /** Aborted at the close: async delegations still running stop. */
  delegations: AbortController | undefined = undefined;
  ended = false;
}
