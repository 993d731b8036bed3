import { randomUUID } from "node:crypto";
import type { EventEmitter } from "eventemitter3";
import type {
  RealtimeClientEvent,
  RealtimeConversationItemUserMessage,
  RealtimeErrorEvent,
  RealtimeResponse,
  RealtimeServerEvent,
  SessionUpdateEvent,
} from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import { CallLedger } from "../contracts/call-ledger.ts";
import type { ResponsesClient } from "../delegate/host.ts";
import type { ParleyError } from "../errors/index.ts";
import type { LoadedAgent, LoadedHandoff } from "../load/index.ts";
import type { Logger } from "../log/index.ts";
import type { PriceTable, TokenCounts } from "../pricing/index.ts";
import { sayExactly } from "../scheduler/fillers.ts";
import type { CallHandler, SchedulerHost } from "../scheduler/host.ts";
import type { ToolSessionControl } from "../tool/index.ts";
import type { Transport, TransportFactory } from "../transport/transport.ts";
import { AgentSwitch } from "./agent-switch.ts";
import { AudioClock } from "./audio-clock.ts";
import { CallRouter } from "./calls.ts";
import { ConversationRecord, type ConversationSnapshot } from "./conversation.ts";
import { delegationHost } from "./delegation-host.ts";
import { createDispatcher } from "./dispatch.ts";
import { RealtimeServerError, SessionError } from "./errors.ts";
import { EventStream, type StreamListener } from "./event-stream.ts";
import type { ResponseKind, SessionEvents } from "./events.ts";
import { Handoffs } from "./handoffs.ts";
import { DEFAULT_MAX_IMAGE_BYTES, type ImageSource, imageDataUrl } from "./image.ts";
import { Interruptions } from "./interruption.ts";
import { LatencyTracker } from "./latency.ts";
import { Lifecycle } from "./lifecycle.ts";
import { CostMeter, settleResponse } from "./meter.ts";
import { type ClosingError, classifyClose } from "./reconnect/classify.ts";
import type { ReconnectSettings } from "./reconnect/options.ts";
import { Outbound } from "./reconnect/outbound.ts";
import { Reconnector, type RestoreReason } from "./reconnect/reconnector.ts";
import { type ResponseOrigin, ResponseQueue } from "./response-queue.ts";
import { SafeEmitter } from "./safe-emitter.ts";
import { guardedSend, schedulerHost } from "./scheduler-host.ts";
import { defaultSettings, type RuntimeSettings, readSettings } from "./settings.ts";
import { Wire } from "./wire.ts";

/** Builds the tool-call handler (the scheduler) for a session, over the host the runtime gives it. */
export type CallHandlerFactory = (host: SchedulerHost) => CallHandler;

/** Everything a Session is built from; `startSession` fills it from its options and the agent. */
export interface SessionInit {
  /** What carries the session's events (the `ws` transport, an in-memory one, …). */
  transport: Transport;
  /** Builds the transport of each reconnect attempt; with `reconnect`, drops and the hour cap are survived. */
  transportFactory?: TransportFactory;
  /** How drops are survived (absent: a drop ends the session). */
  reconnect?: ReconnectSettings;
  /** The resume line of an agent (its file's `reconnect.announce`, rendered), when `reconnect.announce` is unset. */
  announceOf?: (agent: LoadedAgent) => string | undefined;
  update: SessionUpdateEvent;
  /** The agent the session starts with (its handoffs are what `transfer_to_<name>` calls switch to). */
  agent?: LoadedAgent;
  /** Loads a handoff's target agent (default: `loadAgent(handoff.file)`). */
  loadHandoff?: (handoff: LoadedHandoff, from: LoadedAgent) => Promise<LoadedAgent>;
  /** The variables the application gave (over each agent's defaults when the agent changes). */
  givenVariables?: Record<string, unknown>;
  /** The stalled-response watchdog (`false` turns it off). */
  watchdog?: { stallMs?: number; graceMs?: number } | false;
  /** Compiles a new agent for `updateAgent` (absent: only ready-made `session.update` events are accepted). */
  compile?: (agent: LoadedAgent) => SessionUpdateEvent;
  /** The SIP call id when the session is attached to a phone call (tools see it as `ctx.session.callId`). */
  callId?: string;
  clock: Clock;
  prices: PriceTable;
  tools: CallHandlerFactory | undefined;
  playedMs: ((itemId: string) => number | undefined) | undefined;
  greeting: string | undefined;
  /** Renders the greeting an agent taken over to by a handoff says (absent: it answers without one). */
  greetingOf?: (agent: LoadedAgent) => string | undefined;
  goodbye: string;
  budgetUsd: number | undefined;
  maxSessionLengthMs: number | undefined;
  timeoutMs: number;
  log: Logger;
  /** The Responses client delegate tools call (absent: delegate tools fail with a clear output). */
  responsesClient?: ResponsesClient;
}

/**
 * One live conversation over a Realtime WebSocket. Created by `startSession`; see docs/runtime.md.
 * The conversation state lives in `conversation` (a ConversationRecord); responses go through one queue.
 */
export class Session extends SafeEmitter<SessionEvents> {
  /** The conversation so far, in server order: the state a reconnect replays. */
  readonly conversation = new ConversationRecord();
  readonly #init: SessionInit;
  readonly #wire: Wire;
  readonly #responses: ResponseQueue;
  readonly #meter: CostMeter;
  readonly #audio: AudioClock;
  readonly #latency: LatencyTracker;
  readonly #dispatch: (event: RealtimeServerEvent) => void;
  readonly #calls: CallRouter;
  /** The one owner of call ids and sender of `function_call_output`. */
  readonly #ledger: CallLedger;
  readonly #interruptions: Interruptions;
  #settings: RuntimeSettings = defaultSettings();
  #audioProduced = false;
  readonly #life: Lifecycle;
  /** Which agent runs, its variables and budget, and the switch to another. */
  readonly #switch: AgentSwitch;
  #budgetUsd: number | undefined;
  readonly #hostSend: (event: RealtimeClientEvent) => void;
  readonly #outbound: Outbound;
  readonly #reconnector: Reconnector | undefined;
  /** The session.update in force (the start's, then each agent change's): what a restore sends again. */
  #currentUpdate: SessionUpdateEvent;
  /** The server's error event when it is the last thing the server said (it tells why a close came). */
  #closingError: ClosingError | undefined;
  /** The handshake is over: a drop before it is a failed start, not something to restore. */
  #started = false;
  /** The close code of a connection that dropped during the handshake (start() decides whether to try again). */
  #earlyDrop: number | undefined;
  /** A response (or our request for one) was cut off by the drop: the restored session answers. */
  #cutOff = false;
  /** Clock time the current connection was set up (the recycle counts from it). */
  #connectedAt = 0;
  #recycleTimer: ReturnType<Clock["setTimeout"]> | undefined;
  #recycleDue = false;
  /** Clock time the handshake ended: session-length limits count from it, across handoffs. */
  #startedAt = 0;
  /** A turn check is scheduled (see #checkIdle). */
  #idleCheck = false;
  /** `idle` was emitted and the session has not been seen busy since. */
  #idleSaid = false;
  /** Generated until `session.created` names the Realtime session (`sess_…`). */
  #id = `parley_sess_${randomUUID().replaceAll("-", "").slice(0, 20)}`;

  readonly #stream: EventStream;
  /** Aborted at the close: async delegations still running stop. */
  readonly #delegations = new AbortController();

  /** @internal Use `startSession`. */
  constructor(init: SessionInit) {
    super((error, event) => this.#listenerFailed(error, event));
    this.#init = init;
    this.#stream = new EventStream(
      init.clock,
      () => this.#id,
      (error) => this.#listenerFailed(error, "stream"),
    );
    this.#budgetUsd = init.budgetUsd;
    const { clock, log } = init;
    this.#settings = readSettings(init.update.session, this.#settings);
    this.#meter = new CostMeter(this.#settings.model, init.prices);
    this.#audio = new AudioClock(this.#settings.outputBytesPerMs);
    this.#latency = new LatencyTracker((l) => this.emit("latency", l));
    this.#wire = new Wire(init.transport, clock, log, {
      event: (e) => this.#onServerEvent(e),
      sent: (e) => this.listenerCount("client.event") > 0 && this.emit("client.event", e),
      dropped: (reason, code) => this.#onDrop(reason, code),
    });
    this.#responses = new ResponseQueue({
      send: (e) => this.#wire.send(e),
      clock,
      log: log.child("queue"),
      serverCreatesResponses: () => this.#settings.serverCreatesResponses,
      onDropped: (req, reason) => {
        log.debug("response request dropped", { kind: req.kind, reason });
        this.#stream.push("response.dropped", { kind: req.kind, reason });
        if (req.kind === "goodbye") this.#life.goodbyeDone();
      },
      ...(init.watchdog === false
        ? { stallMs: 0 }
        : {
            ...(init.watchdog?.stallMs === undefined ? {} : { stallMs: init.watchdog.stallMs }),
            ...(init.watchdog?.graceMs === undefined
              ? {}
              : { stallGraceMs: init.watchdog.graceMs }),
          }),
      onStall: (live, phase, idleMs) => this.#onStall(live, phase, idleMs),
      onSettle: () => this.#checkIdle(),
    });
    this.#currentUpdate = init.update;
    this.#outbound = new Outbound({
      send: guardedSend(this.#wire, this.#responses, log),
      restoring: () => this.#reconnector?.restoring ?? false,
      toolOf: (callId) => this.conversation.toolOf(callId),
      log: log.child("reconnect"),
    });
    this.#hostSend = this.#outbound.send;
    this.#reconnector =
      init.reconnect && init.transportFactory
        ? this.#buildReconnector(init.reconnect, init.transportFactory)
        : undefined;
    this.#ledger = new CallLedger(this.#hostSend);
    this.#calls = new CallRouter(this.#ledger, this.#hostSend, this.#responses, log);
    this.#switch = new AgentSwitch(
      {
        compile: init.compile,
        update: (update) => this.#update(update),
        voice: () => this.#settings.voice,
        spoken: () => this.#audioProduced,
        given: init.givenVariables ?? {},
        open: () => this.open,
        switched: (agent) => {
          // The new agent's limits apply from now on (spend and time so far count against them).
          this.#budgetUsd = agent.config.limits?.costBudgetUsd;
          this.#life.limitLength(agent.config.limits?.maxSessionLength, this.#startedAt);
          this.#calls.handler?.swap?.(agent);
        },
        warning: (code, message) => this.emit("warning", { code, message }),
        failed: (error) => this.emit("error", { error }),
        log: init.log,
      },
      init.agent,
    );
    this.#calls.handoffs = new Handoffs({
      current: () => this.#switch.agent,
      load:
        init.loadHandoff ??
        (() =>
          Promise.reject(
            new SessionError("update_unsupported", "this session cannot load agent files"),
          )),
      switchTo: async (agent) => {
        this.#assertOpen();
        return this.#switch.apply(agent);
      },
      ...(init.greetingOf ? { greeting: init.greetingOf } : {}),
      ledger: this.#ledger,
      responses: this.#responses,
      clock,
      tool: (event) => {
        this.emit(event.type, event as never);
        this.#checkIdle();
      },
      handedOff: (event) => this.emit("handoff", event),
      failed: (error) => this.emit("error", { error }),
      log: log.child("handoff"),
    });
    this.#life = new Lifecycle({
      responses: this.#responses,
      calls: this.#calls,
      wire: this.#wire,
      clock,
      goodbye: init.goodbye,
      timeoutMs: init.timeoutMs,
      closed: (reason, detail, code) => {
        this.#delegations.abort();
        this.#clearRecycle();
        this.#switch.release();
        this.emit("closed", {
          reason,
          detail,
          ...(code === undefined ? {} : { code }),
          conversation: this.conversation.snapshot(),
          costUsd: this.#meter.spentUsd,
        });
      },
    });
    this.#interruptions = new Interruptions({
      audio: this.#audio,
      responses: this.#responses,
      conversation: this.conversation,
      clock,
      send: this.#hostSend,
      playedMs: init.playedMs,
      interrupted: (e) => {
        this.#calls.call((h) => h.onInterrupt());
        this.emit("interrupted", e);
      },
    });
    this.#dispatch = createDispatcher({
      conversation: this.conversation,
      responses: this.#responses,
      audio: this.#audio,
      latency: this.#latency,
      clock,
      log,
      events: this,
      textOnly: () => this.#settings.textOnly,
      muted: (id) => this.#interruptions.isMuted(id),
      sessionCreated: (e) => {
        const id = (e.session as { id?: unknown }).id;
        if (typeof id === "string" && id) this.#id = id;
        this.#wire.resolve("session.created");
      },
      sessionUpdated: (e) => {
        this.#applySettings(e.session);
        this.#wire.resolve("session.updated");
      },
      serverError: (e) => this.#onServerError(e),
      audioProduced: () => {
        this.#audioProduced = true;
      },
      speechStarted: () => this.#onSpeechStarted(),
      speechStopped: () => this.#onSpeechStopped(),
      functionCall: (item) => this.#calls.functionCall(item),
      approvalRequest: (item) => this.#calls.approvalRequest(item),
      responseFinishing: (r, live) =>
        this.#onResponseFinishing(r, live?.kind ?? "answer", live?.origin ?? "server"),
      responseFinished: (r, live) => {
        if (live?.kind === "goodbye") this.#life.goodbyeDone();
        this.#life.responseFinished(r.id ?? "", live?.kind ?? "answer");
      },
    });
  }

  /** @internal The handshake: `session.created`, our `session.update`, `session.updated`; then tools, timers, greeting. */
  async start(): Promise<this> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#handshake(this.#init.update);
        break;
      } catch (error) {
        // A connection that dropped during the handshake (not refused) is tried again, as a restore would.
        const drop = this.#earlyDrop;
        this.#earlyDrop = undefined;
        const retry =
          drop !== undefined &&
          classifyClose({ code: drop, error: this.#closingError }) !== "fatal" &&
          (await this.#reconnector?.retryHandshake(attempt, (error as Error).message));
        if (retry) continue;
        // The API refuses a bad key or secret after the upgrade: an error event, then a close. Say what it said.
        const said = this.#closingError;
        if (said && (error as { code?: string })?.code === "socket_closed")
          throw new SessionError(
            "connect_failed",
            // Only the code: the API's message can echo part of the key.
            `the server refused the session: ${said.code ?? said.type}`,
            { cause: error },
          );
        throw error;
      }
    }
    this.#started = true;
    const { tools, maxSessionLengthMs: ms } = this.#init;
    if (tools) {
      this.#calls.handler = tools(
        schedulerHost({
          send: this.#hostSend,
          ledger: this.#ledger,
          responses: this.#responses,
          clock: this.#init.clock,
          variables: () => this.#switch.variables,
          emit: (event) => {
            this.emit(event.type, event as never);
            this.#checkIdle();
          },
          sessionId: () => this.#id,
          session: this.#toolControl(),
          ...(this.#init.responsesClient
            ? {
                delegation: delegationHost({
                  client: this.#init.responsesClient,
                  conversation: this.conversation,
                  meter: this.#meter,
                  prices: this.#init.prices,
                  send: this.#hostSend,
                  responses: this.#responses,
                  closed: this.#delegations.signal,
                }),
              }
            : {}),
        }),
      );
    }
    this.#switch.begin();
    this.#startedAt = this.#init.clock.now();
    this.#life.limitLength(ms, this.#startedAt);
    this.#stream.push("session.started", {
      transport: this.#wire.transportKind,
      agent: this.#switch.agent?.name,
    });
    this.#connected();
    if (this.#init.greeting)
      this.#responses.request({
        kind: "greeting",
        response: { instructions: sayExactly(this.#init.greeting) },
      });
    return this;
  }

  /**
   * Subscribes to the session's one event stream: every session event (client and server protocol events, tool and
   * approval lifecycle, fillers, latency, usage, errors, the close) as a JSON-serialisable, redacted `StreamEvent`
   * (`{ type, at, sessionId, seq, … }`). Returns the unsubscribe function. Pass `onEvent` to `startSession` to see
   * the handshake too.
   *
   * @example
   * const stop = session.onEvent((e) => file.write(`${JSON.stringify(e)}\n`));
   */
  onEvent(listener: StreamListener): () => void {
    return this.#stream.subscribe(listener);
  }

  override emit<T extends EventEmitter.EventNames<SessionEvents>>(
    event: T,
    ...args: EventEmitter.EventArgs<SessionEvents, T>
  ): boolean {
    const heard = super.emit(event, ...args);
    this.#stream?.push(event, args[0]);
    return heard;
  }

  /** Counts the stream as a listener: payloads built only for listeners are then built for it too. */
  override listenerCount(event: EventEmitter.EventNames<SessionEvents>): number {
    return super.listenerCount(event) + (this.#stream?.active ? 1 : 0);
  }

  /** The Realtime session id (`sess_…`, from `session.created`); a generated `parley_sess_…` id until then. */
  get id(): string {
    return this.#id;
  }

  /** The agent the session runs now (after handoffs and `updateAgent`), when it was started from one. */
  get agent(): LoadedAgent | undefined {
    return this.#switch.agent;
  }

  /** True from the handshake until `close()` or a dropped socket. */
  get open(): boolean {
    return !this.#life.closing && (this.#wire.isOpen || (this.#reconnector?.restoring ?? false));
  }

  /** True while a dropped connection is being restored (input waits; microphone audio is dropped). */
  get restoring(): boolean {
    return this.#reconnector?.restoring ?? false;
  }

  /**
   * True until the turn is over: a response in progress, queued or awaited, the user speaking, a tool call running or
   * awaiting approval, the answer about an output scheduled, or the connection being restored. The `idle` event
   * says when it becomes false.
   */
  get busy(): boolean {
    return this.open && (this.restoring || !this.#responses.settled || this.#calls.busy);
  }

  /** True while a response is in progress (or our `response.create` is on its way). */
  get responding(): boolean {
    return this.#responses.inProgress;
  }

  get costUsd(): number {
    return this.#meter.spentUsd;
  }

  get tokens(): Readonly<TokenCounts> {
    return { ...this.#meter.tokens };
  }

  get settings(): Readonly<RuntimeSettings> {
    return this.#settings;
  }

  /**
   * Sends what the user typed and (by default) asks the agent to answer.
   *
   * @example
   * session.sendText("What's the weather in Lyon?");
   */
  sendText(text: string, options: { respond?: boolean } = {}): void {
    this.#send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content: [{ type: "input_text", text }] },
    });
    this.#userTurn(options.respond ?? true);
  }

  /** Appends user audio (in the session's input format; pcm16 24 kHz mono by default) to the input buffer. */
  appendAudio(audio: Buffer | Uint8Array | string): void {
    const b64 =
      typeof audio === "string"
        ? audio
        : Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength).toString("base64");
    this.#send({ type: "input_audio_buffer.append", audio: b64 });
  }

  /**
   * Ends the user's audio turn (push-to-talk). Asks for an answer unless the server's VAD answers by itself.
   *
   * @example
   * session.appendAudio(pcm); session.commitAudio();
   */
  commitAudio(options: { respond?: boolean } = {}): void {
    this.#send({ type: "input_audio_buffer.commit" });
    this.#userTurn(options.respond ?? !this.#settings.serverCreatesResponses);
  }

  /**
   * Sends an image (a path, bytes, or a file:/http(s): URL) as an `input_image` item, with optional text.
   * Throws SessionError `image_unsupported` / `image_too_large` / `image_unreadable` before anything is sent.
   *
   * @example
   * await session.sendImage("./receipt.png", { text: "What is the total?" });
   */
  async sendImage(
    image: ImageSource,
    options: {
      text?: string;
      respond?: boolean;
      maxBytes?: number;
      detail?: "auto" | "low" | "high";
    } = {},
  ): Promise<void> {
    const url = await imageDataUrl(image, options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES);
    const content: RealtimeConversationItemUserMessage.Content[] = [];
    if (options.text) content.push({ type: "input_text", text: options.text });
    content.push({
      type: "input_image",
      image_url: url,
      ...(options.detail ? { detail: options.detail } : {}),
    });
    this.#send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content },
    });
    this.#userTurn(options.respond ?? true);
  }

  /**
   * Stops the agent: cancels the response in progress and truncates the agent's audio item where playback stopped.
   * Pass `playedMs` (what the listener actually heard of the current item) when the app knows it; otherwise it is
   * estimated from the audio delivered and the time since its first chunk (see docs/runtime.md).
   *
   * @example
   * speaker.stop(); session.interrupt({ playedMs: speaker.positionMs });
   */
  interrupt(options: { playedMs?: number } = {}): void {
    this.#assertOpen();
    this.#responses.cancel();
    this.#interruptions.interrupt("user", options.playedMs);
  }

  /**
   * Applies a changed agent to the live session (`session.update`). The API refuses a voice change once the agent
   * has spoken: the voice is then left out, a `warning` (`voice_change_refused`) says so, and the rest is applied.
   *
   * @example
   * await session.updateAgent(await loadAgent("support.agent.yaml"));
   */
  async updateAgent(agent: LoadedAgent | SessionUpdateEvent): Promise<void> {
    this.#assertOpen();
    await this.#switch.apply(agent);
  }

  /** Ends the session: tool calls are aborted (each gets its output while the socket is open), then the socket closes. */
  close(): Promise<void> {
    return this.#life.shutdown("closed", "closed by the application");
  }

  /**
   * Says the goodbye line (`startSession({ goodbye })`) once the current response is done, then closes with reason
   * `closed`: how a server ends its calls when it drains. Running tool calls still each get their one output.
   */
  goodbye(detail = "ended by the application"): void {
    if (this.open) this.#life.goodbye("closed", detail);
  }

  /** @internal Ends a session whose start failed (`closed` then says `error`, with why). */
  abort(detail: string): Promise<void> {
    return this.#life.shutdown("error", detail);
  }

  /** A copy of the conversation so far. */
  snapshot(): ConversationSnapshot {
    return this.conversation.snapshot();
  }

  // ── internals ──────────────────────────────────────────────────────────────

  /** `ctx.session` for tools: the SIP call id, and `end()` — close after the agent's answer to the tool's output. */
  #toolControl(): ToolSessionControl {
    const callId = this.#init.callId;
    return {
      ...(callId ? { callId } : {}),
      end: (reason) => {
        const detail = reason ? `ended by a tool: ${reason}` : "ended by a tool";
        this.#init.log.info("session ending", { reason });
        this.#life.endAfterAnswer(
          detail,
          this.#responses.live.map((r) => r.id),
        );
      },
    };
  }

  #send(event: RealtimeClientEvent): void {
    this.#assertOpen();
    this.#outbound.send(event);
  }

  #assertOpen(): void {
    if (!this.open)
      throw new SessionError(
        "session_closed",
        "the session is closed; start a new one with startSession()",
      );
  }

  #userTurn(respond: boolean): void {
    this.#idleSaid = false;
    this.#latency.userInputEnded(this.#init.clock.now());
    if (respond) this.#responses.request({ kind: "answer" });
  }

  /** open → session.created → `update` → session.updated, on the current transport. */
  async #handshake(update: SessionUpdateEvent): Promise<void> {
    const { timeoutMs } = this.#init;
    const created = this.#wire.waitFor("session.created", timeoutMs);
    created.catch(() => {}); // awaited below; a failed connect is reported by opened()
    await this.#wire.opened(timeoutMs);
    await created;
    await this.#update(update);
  }

  async #update(update: SessionUpdateEvent): Promise<void> {
    const eventId = this.#wire.nextId("session_update");
    const done = this.#wire.waitFor("session.updated", this.#init.timeoutMs, eventId);
    this.#wire.send({ ...update, event_id: eventId });
    await done;
    this.#currentUpdate = update;
  }

  #applySettings(session: unknown): void {
    this.#settings = readSettings(session, this.#settings);
    this.#meter.model = this.#settings.model;
    this.#audio.setFormat(this.#settings.outputBytesPerMs);
  }

  #onServerEvent(event: RealtimeServerEvent): void {
    if (event.type !== "error") this.#closingError = undefined;
    if (event.type === "conversation.item.added" || event.type === "conversation.item.created")
      this.#outbound.confirmed(event.item.id ?? "");
    else if (event.type === "error" && event.error.event_id)
      this.#outbound.refused(event.error.event_id);
    if (this.listenerCount("server.event")) this.emit("server.event", event);
    this.#dispatch(event);
    this.#checkIdle();
  }

  /**
   * Looks at the turn once the current step is over (a microtask later, so an output and the answer it schedules
   * right after it count together) and emits `idle` when the session has just become idle.
   */
  #checkIdle(): void {
    if (this.#idleCheck) return;
    this.#idleCheck = true;
    queueMicrotask(() => {
      this.#idleCheck = false;
      if (this.busy) this.#idleSaid = false;
      else if (!this.#idleSaid && this.open) {
        this.#idleSaid = true;
        this.emit("idle");
        if (this.#recycleDue) this.#recycle();
      }
    });
  }

  #onServerError(event: RealtimeErrorEvent): void {
    this.#closingError = event.error;
    const error = new RealtimeServerError(event);
    const id = error.eventId;
    // Our cancel racing the response's own end is harmless; nobody needs to hear about it.
    if (id?.startsWith("parley_cancel_") && error.code === "response_cancel_not_active") return;
    this.#responses.serverError(event.error);
    if (id) this.#wire.reject(id, error);
    this.emit("error", { error });
  }

  #onSpeechStarted(): void {
    this.#responses.userSpeechStarted();
    this.#calls.call((h) => h.onUserSpeechStarted());
    if (this.#settings.serverInterrupts) this.#interruptions.interrupt("server", undefined);
  }

  #onSpeechStopped(): void {
    this.#responses.userSpeechStopped();
    this.#latency.userInputEnded(this.#init.clock.now());
    this.#calls.call((h) => h.onUserSpeechStopped());
  }

  #onResponseFinishing(
    response: RealtimeResponse,
    kind: ResponseKind,
    origin: ResponseOrigin,
  ): void {
    this.#interruptions.responseDone(response.id);
    const info = { kind, origin, budgetUsd: this.#budgetUsd, ending: this.#life.ending };
    const over = settleResponse(this.#meter, response, info, (name, payload) =>
      this.emit(name, payload as never),
    );
    if (over) this.#life.goodbye("budget", over);
  }

  #onStall(
    live: { id: string; kind: ResponseKind },
    phase: "cancelling" | "released",
    idleMs: number,
  ): void {
    if (phase === "cancelling") {
      this.emit("error", {
        error: new SessionError(
          "response_stalled",
          `response ${live.id} (${live.kind}) had no event for ${Math.round(idleMs)} ms; it was cancelled`,
        ),
      });
      return;
    }
    // Never confirmed: finish what waits on its response.done (a truncate, the goodbye) as if it had come.
    this.#interruptions.responseDone(live.id);
    if (live.kind === "goodbye") this.#life.goodbyeDone();
    this.emit("warning", {
      code: "response_released",
      message: `the server never confirmed the end of stalled response ${live.id}; the runtime moved on without it`,
    });
  }

  // ── reconnect ──────────────────────────────────────────────────────────────

  #buildReconnector(settings: ReconnectSettings, factory: TransportFactory): Reconnector {
    const { clock, log } = this.#init;
    // A SIP call's session lives on the server: re-attaching its sideband replays nothing (unconfirmed by the API).
    const reattach = Boolean(this.#init.callId) && settings.sideband === "reattach";
    return new Reconnector({
      settings,
      factory,
      clock,
      log: log.child("reconnect"),
      closing: () => this.#life.closing,
      attach: (transport) => this.#wire.attach(transport),
      handshake: () => this.#handshake(this.#currentUpdate),
      replay: () => {
        if (reattach) return 0;
        const items = this.conversation.toReplayItems(settings.maxReplayItems);
        // Calls of the old connection cannot be answered with function_call_output any more: text instead.
        this.#outbound.orphan(
          this.conversation
            .snapshot()
            .items.flatMap((e) => (e.type === "function_call" && e.callId ? [e.callId] : [])),
        );
        this.conversation.ignore(items.flatMap((i) => (i.id ? [i.id] : [])));
        for (const item of items) this.#wire.send({ type: "conversation.item.create", item });
        return items.length;
      },
      resume: (reason) => this.#resume(reason),
      reconnecting: (e) => this.emit("reconnecting", e),
      restored: (e) => this.emit("restored", e),
      failed: (e) => {
        this.emit("restore_failed", e);
        this.#life.dropped(
          `the connection could not be restored after ${e.attempts} attempts: ${e.detail}`,
          1006,
        );
      },
      sessionId: () => this.#id,
    });
  }

  /** The connection closed without our asking: restore it, unless the close says retrying cannot help. */
  #onDrop(detail: string, code: number): void {
    const reconnector = this.#reconnector;
    if (!this.#started) {
      this.#earlyDrop = code; // start() sees its waiters rejected, and may try a new connection
      return;
    }
    if (!reconnector || this.#life.closing) {
      this.#life.dropped(detail, code);
      return;
    }
    if (reconnector.restoring) return; // the attempt in progress fails and the next one begins
    const kind = classifyClose({ code, error: this.#closingError });
    if (kind === "fatal") {
      const said = this.#closingError?.code
        ? ` after the server's error ${this.#closingError.code}`
        : "";
      this.emit("error", {
        error: new SessionError(
          "connection_fatal",
          `${detail}${said}; reconnecting cannot fix this, so the session ends`,
        ),
      });
      this.#life.dropped(detail, code);
      return;
    }
    this.#suspend();
    reconnector.start(kind, detail);
  }

  /** The connection is gone: what was in progress on it is cut off; requests and events wait. */
  #suspend(): void {
    this.#idleSaid = false; // the restore is part of the turn: `idle` follows it, even with nothing else to do
    this.#clearRecycle();
    this.#outbound.dropped(); // what the old server never confirmed goes again after the replay
    if (this.#responses.suspend()) this.#cutOff = true;
  }

  /** The restored connection is ready: waiting events go out, then the agent resumes (one answer at most). */
  #resume(reason: RestoreReason): void {
    this.#connected();
    this.#responses.resume();
    this.#outbound.flush();
    const agent = this.#switch.agent;
    const announce =
      this.#init.reconnect?.announce ?? (agent ? this.#init.announceOf?.(agent) : undefined);
    const cut = this.#cutOff;
    this.#cutOff = false;
    if (announce && reason !== "recycle")
      this.#responses.request({
        kind: "answer",
        response: {
          instructions: `The call was cut off for a moment and is back. Say briefly: "${announce}" Then carry on where the conversation left off.`,
        },
      });
    else if (cut) this.#responses.request({ kind: "answer" });
    this.#checkIdle();
  }

  /** A connection is set up: the recycle before the API's cap counts from now. */
  #connected(): void {
    this.#connectedAt = this.#init.clock.now();
    this.#clearRecycle();
    const after = this.#init.reconnect?.recycleAfterMs;
    if (!this.#reconnector || after === undefined || after === false) return;
    this.#recycleTimer = this.#init.clock.setTimeout(() => {
      this.#recycleTimer = undefined;
      this.#recycleDue = true;
      if (!this.busy) this.#recycle();
    }, after);
  }

  #clearRecycle(): void {
    if (this.#recycleTimer !== undefined) this.#init.clock.clearTimeout(this.#recycleTimer);
    this.#recycleTimer = undefined;
    this.#recycleDue = false;
  }

  /** At a turn boundary past the recycle time: a new connection replaces this one before the cap ends it. */
  #recycle(): void {
    const reconnector = this.#reconnector;
    if (!reconnector || reconnector.restoring || this.#life.closing) return;
    this.#suspend();
    const age = Math.round(this.#init.clock.now() - this.#connectedAt);
    reconnector.start("recycle", `recycled after ${age} ms, before the session cap`, () =>
      this.#wire.release("recycle"),
    );
  }

  #listenerFailed(error: unknown, event: string): void {
    this.#init.log.warn(`a "${event}" listener threw`, { error });
    if (event === "error") return;
    const wrapped: ParleyError = new SessionError(
      "listener_failed",
      `a "${event}" listener threw: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
    this.emit("error", { error: wrapped });
  }
}
