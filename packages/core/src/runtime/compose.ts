import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import { CallLedger } from "../contracts/call-ledger.ts";
import { AgentSwitch } from "./agent-switch.ts";
import { AudioClock } from "./audio-clock.ts";
import { CallRouter } from "./calls.ts";
import { ConversationRecord } from "./conversation.ts";
import { createDispatcher } from "./dispatch.ts";
import { SessionError } from "./errors.ts";
import { EventStream } from "./event-stream.ts";
import type { SessionEvents } from "./events.ts";
import { Handoffs } from "./handoffs.ts";
import { RuntimeBus } from "./internal-events.ts";
import { Interruptions } from "./interruption.ts";
import { LatencyTracker } from "./latency.ts";
import { Lifecycle } from "./lifecycle.ts";
import { CostMeter } from "./meter.ts";
import { react } from "./reactions.ts";
import { Outbound } from "./reconnect/outbound.ts";
import { SessionReconnect } from "./reconnect/session-reconnect.ts";
import { ResponseQueue } from "./response-queue.ts";
import type { SafeEmitter } from "./safe-emitter.ts";
import { guardedSend } from "./scheduler-host.ts";
import type { SessionInit } from "./session-init.ts";
import { SessionState } from "./session-state.ts";
import { TextFallback } from "./text-fallback.ts";
import { TurnWatch } from "./turn-watch.ts";
import { Wire } from "./wire.ts";

/** A session's parts, wired: what the public Session (session.ts) and the handshake (handshake.ts) work with. */
export interface SessionParts {
  readonly init: SessionInit;
  readonly state: SessionState;
  readonly events: SafeEmitter<SessionEvents>;
  readonly bus: RuntimeBus;
  readonly stream: EventStream;
  readonly conversation: ConversationRecord;
  readonly wire: Wire;
  readonly responses: ResponseQueue;
  readonly meter: CostMeter;
  readonly audio: AudioClock;
  readonly latency: LatencyTracker;
  /** The one owner of call ids and sender of `function_call_output`. */
  readonly ledger: CallLedger;
  readonly calls: CallRouter;
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
 * dependencies; the server's events reach them as typed internal events (RuntimeBus, see reactions.ts); application
 * events go to `events` (the Session), which also feeds the one event stream.
 */
export function composeSession(
  init: SessionInit,
  events: SafeEmitter<SessionEvents>,
  listenerFailed: (error: unknown, event: string) => void,
): SessionParts {
  const { clock, log } = init;
  const state = new SessionState(init.update, init.budgetUsd);
  const bus = new RuntimeBus();
  const conversation = new ConversationRecord();
  const stream = new EventStream(
    clock,
    () => state.id,
    (error) => listenerFailed(error, "stream"),
  );
  const meter = new CostMeter(state.settings.model, init.prices);
  const audio = new AudioClock(state.settings.outputBytesPerMs);
  const latency = new LatencyTracker(
    (l) => events.emit("latency", l),
    (turn) => events.listenerCount("user.turn") > 0 && events.emit("user.turn", { turn }),
  );
  const wire = new Wire(init.transport, clock, log, {
    event: (e, text) => {
      if (e.type !== "error") state.closingError = undefined;
      if (e.type === "conversation.item.added" || e.type === "conversation.item.created")
        outbound.confirmed(e.item.id ?? "");
      else if (e.type === "error" && e.error.event_id) outbound.refused(e.error.event_id);
      // Server VAD: the user's turn starts here, not at a commit of ours. The whole turn can arrive in one read (a
      // fast server), with no check in between seeing the session busy: the next idle must still be said.
      else if (e.type === "input_audio_buffer.speech_started") turn.userTurn();
      if (events.listenerCount("server.event")) {
        stream.frameText(e, text);
        events.emit("server.event", e);
      }
      fallback.serverEvent(e);
      dispatch(e);
      // A delta changes nothing the idle check reads (its response.created already made the session busy): no
      // check per audio or transcript chunk.
      if (!e.type.endsWith(".delta")) turn.check();
    },
    sent: (e, text) => {
      if (!events.listenerCount("client.event")) return;
      stream.frameText(e, text);
      events.emit("client.event", e);
    },
    dropped: (reason, code) => reconnect.dropped(reason, code),
  });
  const watchdog = init.watchdog;
  const responses = new ResponseQueue({
    send: (e) => wire.send(e),
    clock,
    log: log.child("queue"),
    serverCreatesResponses: () => state.settings.serverCreatesResponses,
    onDropped: (req, reason) => {
      log.debug("response request dropped", { kind: req.kind, reason });
      stream.push("response.dropped", { kind: req.kind, reason });
      if (req.kind === "goodbye") life.goodbyeDone();
    },
    ...(watchdog === false
      ? { stallMs: 0 }
      : {
          ...(watchdog?.stallMs === undefined ? {} : { stallMs: watchdog.stallMs }),
          ...(watchdog?.graceMs === undefined ? {} : { stallGraceMs: watchdog.graceMs }),
        }),
    onStall: (live, phase, idleMs) => bus.emit("response.stalled", { live, phase, idleMs }),
    onSettle: () => turn.check(),
  });
  const outbound: Outbound = new Outbound({
    send: guardedSend(wire, responses, log),
    restoring: (): boolean => reconnect.restoring,
    toolOf: (callId) => conversation.toolOf(callId),
    log: log.child("reconnect"),
  });
  const ledger = new CallLedger(outbound.send);
  const calls = new CallRouter(ledger, outbound.send, responses, log);
  const open = () => !life.closing && (wire.isOpen || reconnect.restoring);
  const busy = () => open() && (reconnect.restoring || !responses.settled || calls.busy);
  let delegations: AbortController | undefined;
  let ended = false;
  const delegationSignal = (): AbortSignal => {
    if (!delegations) {
      delegations = new AbortController();
      if (ended) delegations.abort();
    }
    return delegations.signal;
  };
  const assertOpen = () => {
    if (!open())
      throw new SessionError(
        "session_closed",
        "the session is closed; start a new one with startSession()",
      );
  };
  const update = async (next: SessionUpdateEvent) => {
    const eventId = wire.nextId("session_update");
    const done = wire.waitFor("session.updated", init.timeoutMs, eventId);
    wire.send({ ...next, event_id: eventId });
    await done;
    state.currentUpdate = next;
  };
  const connect = async (next: SessionUpdateEvent) => {
    const created = wire.waitFor("session.created", init.timeoutMs);
    created.catch(() => {}); // awaited below; a failed connect is reported by opened()
    await wire.opened(init.timeoutMs);
    await created;
    await update(next);
  };
  const agents = new AgentSwitch(
    {
      compile: init.compile,
      update: (next) => update(fallback.adjust(next)),
      voice: () => state.settings.voice,
      spoken: () => state.spoke,
      given: init.givenVariables ?? {},
      open,
      switched: (agent) => {
        // The new agent's limits apply from now on (spend and time so far count against them).
        state.budgetUsd = agent.config.limits?.costBudgetUsd;
        life.limitLength(agent.config.limits?.maxSessionLength, state.startedAt);
        calls.handler?.swap?.(agent);
      },
      warning: (code, message) => events.emit("warning", { code, message }),
      failed: (error) => events.emit("error", { error }),
      log,
    },
    init.agent,
  );
  calls.handoffs = new Handoffs({
    current: () => agents.agent,
    load:
      init.loadHandoff ??
      (() =>
        Promise.reject(
          new SessionError("update_unsupported", "this session cannot load agent files"),
        )),
    switchTo: async (agent) => {
      assertOpen();
      return agents.apply(agent);
    },
    ...(init.greetingOf ? { greeting: init.greetingOf } : {}),
    ledger,
    responses,
    clock,
    tool: (event) => {
      events.emit(event.type, event as never);
      turn.check();
    },
    handedOff: (event) => events.emit("handoff", event),
    failed: (error) => events.emit("error", { error }),
    log: log.child("handoff"),
  });
  const life = new Lifecycle({
    responses,
    calls,
    wire,
    clock,
    goodbye: init.goodbye,
    timeoutMs: init.timeoutMs,
    closed: (reason, detail, code) => {
      ended = true;
      delegations?.abort();
      reconnect.clearRecycle();
      agents.release();
      events.emit("closed", {
        reason,
        detail,
        ...(code === undefined ? {} : { code }),
        conversation: conversation.snapshot(),
        costUsd: meter.spentUsd,
      });
    },
  });
  const interruptions = new Interruptions({
    audio,
    responses,
    conversation,
    clock,
    send: outbound.send,
    playedMs: init.playedMs,
    interrupted: (e) => {
      calls.call((h) => h.onInterrupt());
      events.emit("interrupted", e);
    },
  });
  const turn = new TurnWatch({
    busy,
    open,
    idle: () => {
      events.emit("idle");
      reconnect.idle();
    },
  });
  const reconnect: SessionReconnect = new SessionReconnect({
    settings: init.reconnect,
    announce: () => (agents.agent ? init.announceOf?.(agents.agent) : undefined),
    factory: init.transportFactory,
    callId: init.callId,
    clock,
    log,
    state,
    wire,
    responses,
    outbound,
    conversation,
    life,
    events,
    connect,
    busy,
    turn,
  });
  const fallback = new TextFallback(
    {
      clock,
      log: log.child("fallback"),
      current: () => state.currentUpdate,
      update,
      changed: (change) => events.emit("mode.changed", change),
      tell: (instructions) => responses.request({ kind: "answer", response: { instructions } }),
      failed: (error) => log.warn("mode switch failed", { error }),
    },
    init.textFallback,
  );
  const dispatch = createDispatcher({
    conversation,
    responses,
    audio,
    latency,
    clock,
    log,
    events,
    bus,
    textOnly: () => state.settings.textOnly,
    muted: (id) => interruptions.isMuted(id),
  });
  const parts: SessionParts = {
    init,
    state,
    events,
    bus,
    stream,
    conversation,
    wire,
    responses,
    meter,
    audio,
    latency,
    ledger,
    calls,
    interruptions,
    life,
    agents,
    outbound,
    reconnect,
    turn,
    fallback,
    delegations: delegationSignal,
    open,
    busy,
    update,
    connect,
    assertOpen,
  };
  react(parts);
  return parts;
}
