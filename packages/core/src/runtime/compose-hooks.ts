import type {
  RealtimeClientEvent,
  RealtimeServerEvent,
  ResponseCancelEvent,
  ResponseCreateEvent,
} from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { Logger } from "../log/index.ts";
import type { ResponseRequest } from "../scheduler/host.ts";
import type { ComposedSession } from "./compose.ts";
import type { LatencyHooks, TurnLatency } from "./latency.ts";
import type { OutboundDeps } from "./reconnect/outbound.ts";
import type { LiveResponse, ResponseQueueOptions } from "./response-types.ts";
import type { WireHooks } from "./wire.ts";

// Each part's dependencies as a class over the session's parts: one small object per part whose methods live on the
// prototype, where closures would cost a function object (and their context) per callback per session. Fields
// become getters, read when used: parts built later are there by then, as the closures' variables were.

export class LatencyHooksOf implements LatencyHooks {
  readonly #p: ComposedSession;
  constructor(p: ComposedSession) {
    this.#p = p;
  }
  emit(latency: TurnLatency): void {
    this.#p.events.emit("latency", latency);
  }
  started(turn: number): void {
    const events = this.#p.events;
    if (events.listenerCount("user.turn") > 0) events.emit("user.turn", { turn });
  }
}

export class WireHooksOf implements WireHooks {
  readonly #p: ComposedSession;
  constructor(p: ComposedSession) {
    this.#p = p;
  }
  event(e: RealtimeServerEvent, text: string | undefined): void {
    const p = this.#p;
    // `type` is read once (destructured, so it still narrows `e`): every event shape passes here, and each read of
    // a field every shape has is a megamorphic load.
    const { type } = e;
    // Deltas (most frames: audio and transcript chunks) are read by the dispatcher only, and change nothing the
    // idle check reads (their response.created already made the session busy): no other work per chunk.
    const delta = type.endsWith(".delta");
    if (type === "error") {
      if (e.error.event_id) p.outboundIfMade?.refused(e.error.event_id);
    } else {
      p.state.closingError = undefined;
      if (delta) {
        // nothing else for a chunk
      } else if (type === "conversation.item.added" || type === "conversation.item.created") {
        p.outboundIfMade?.confirmed(e.item.id ?? "");
      } else if (type === "input_audio_buffer.speech_started") {
        // Server VAD: the user's turn starts here, not at a commit of ours. The whole turn can arrive in one read (a
        // fast server), with no check in between seeing the session busy: the next idle must still be said.
        p.turn.userTurn();
      }
    }
    const heard = p.events.listenerCount("server.event");
    // With no one else listening (heard 1: the stream), a session log takes the frame itself: not emitted. The
    // clock is read once for the stream's line and the dispatcher's watchdog and audio clock (~80 ns a reading).
    const now = heard === 1 ? p.clock.now() : undefined;
    if (heard && (heard > 1 || !p.streamFrame(e, text, "server.event", now))) {
      p.streamFrameText(e, text);
      p.events.emit("server.event", e);
    }
    if (delta) {
      p.dispatcher.dispatch(e, now);
      return;
    }
    p.fallbackReads(e);
    p.dispatch(e, now);
    p.turn.check();
  }
  sent(e: RealtimeClientEvent, text: string | undefined): void {
    const events = this.#p.events;
    const heard = events.listenerCount("client.event");
    // When a log is all that listens, it takes the frame itself (the microphone's appends only counted): not emitted.
    if (!heard || (heard === 1 && this.#p.streamFrame(e, text, "client.event"))) return;
    this.#p.streamFrameText(e, text);
    events.emit("client.event", e);
  }
  dropped(reason: string, code: number): void {
    this.#p.reconnect.dropped(reason, code);
  }
}

export class QueueHooks implements ResponseQueueOptions {
  readonly #p: ComposedSession;
  constructor(p: ComposedSession) {
    this.#p = p;
  }
  get clock(): Clock {
    return this.#p.init.clock;
  }
  get log(): Logger {
    return this.#p.init.log.child("queue");
  }
  get stallMs(): number | undefined {
    const w = this.#p.init.watchdog;
    return w === false ? 0 : w?.stallMs;
  }
  get stallGraceMs(): number | undefined {
    const w = this.#p.init.watchdog;
    return w === false ? undefined : w?.graceMs;
  }
  send(e: ResponseCreateEvent | ResponseCancelEvent): void {
    this.#p.wire.send(e);
  }
  serverCreatesResponses(): boolean {
    return this.#p.state.settings.serverCreatesResponses;
  }
  onDropped(req: ResponseRequest, reason: string): void {
    const p = this.#p;
    p.init.log.debug("response request dropped", { kind: req.kind, reason });
    p.streamPush("response.dropped", { kind: req.kind, reason });
    if (req.kind === "goodbye") p.life.goodbyeDone();
  }
  onStall(live: LiveResponse, phase: "cancelling" | "released", idleMs: number): void {
    this.#p.bus.emit("response.stalled", { live, phase, idleMs });
  }
  onSettle(): void {
    this.#p.turn.check();
  }
}

export class OutboundHooks implements OutboundDeps {
  readonly #p: ComposedSession;
  constructor(p: ComposedSession) {
    this.#p = p;
  }
  get log(): Logger {
    return this.#p.init.log.child("reconnect");
  }
  /**
   * The send for code other than the queue (the scheduler, the runtime's own outputs): a `response.create` is routed
   * through the queue as an answer instead of colliding, and events for a closed socket are dropped with a warning.
   */
  send(event: RealtimeClientEvent): void {
    const { wire, responses, init } = this.#p;
    if (event.type === "response.create") {
      init.log.warn("response.create sent through host.send; routed through the response queue");
      responses.request({
        kind: "answer",
        ...(event.response ? { response: event.response } : {}),
      });
      return;
    }
    if (!wire.isOpen) {
      init.log.warn("dropped a client event: the socket is closed", { type: event.type });
      return;
    }
    wire.send(event);
  }
  restoring(): boolean {
    return this.#p.reconnect.restoring;
  }
  toolOf(callId: string): string | undefined {
    return this.#p.conversation.toolOf(callId);
  }
}
