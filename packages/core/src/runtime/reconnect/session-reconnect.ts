import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import { type Deadline, deadlinesOf } from "../../clock/deadlines.ts";
import type { Clock } from "../../clock/index.ts";
import type { Logger } from "../../log/index.ts";
import type { TransportFactory } from "../../transport/transport.ts";
import type { ConversationRecord } from "../conversation.ts";
import { SessionError } from "../errors.ts";
import type { SessionEvents } from "../events.ts";
import type { Lifecycle } from "../lifecycle.ts";
import type { ResponseQueue } from "../response-queue.ts";
import type { SafeEmitter } from "../safe-emitter.ts";
import type { SessionState } from "../session-state.ts";
import type { TurnWatch } from "../turn-watch.ts";
import type { Wire } from "../wire.ts";
import { classifyClose } from "./classify.ts";
import type { ReconnectSettings } from "./options.ts";
import type { Outbound } from "./outbound.ts";
import { Reconnector, type RestoreReason } from "./reconnector.ts";

export interface SessionReconnectDeps {
  /** How drops are survived (absent, or no factory: a drop ends the session). */
  reconnectSettings: ReconnectSettings | undefined;
  /** The resume line of the agent in force (its file's `reconnect.announce`), when `settings.announce` is unset. */
  announceLine(): string | undefined;
  transportFactory: TransportFactory | undefined;
  /** The SIP call id: such a session lives on the server (re-attaching may replay nothing). */
  callId: string | undefined;
  clock: Clock;
  log: Logger;
  state: SessionState;
  wire: Wire;
  responses: ResponseQueue;
  outbound: Outbound;
  conversation: ConversationRecord;
  life: Lifecycle;
  events: SafeEmitter<SessionEvents>;
  /** open → session.created → `update` → session.updated, on the current transport. */
  connect(update: SessionUpdateEvent): Promise<void>;
  busy(): boolean;
  /** The `idle` event: a restore is part of the turn, and a resumed session re-checks it. */
  turn: TurnWatch;
}

// The class's booleans, as bits of its one flags field.
const CUT_OFF = 1;
const RECYCLE_ARMED = 2;
const RECYCLE_DUE = 4;

/**
 * The session's side of reconnecting: a drop suspends what was in progress and starts a restore (unless the close
 * says retrying cannot help); a restored connection resumes (one answer at most); past `recycleAfterMs` the next
 * turn boundary moves the session to a new connection before the API's cap ends it.
 */
export class SessionReconnect implements Deadline {
  readonly #d: SessionReconnectDeps;
  /** Made on the first drop (or recycle, or retried handshake): most sessions never need one. */
  #built: Reconnector | undefined;
  /** Clock time the current connection was set up (the recycle counts from it). */
  #connectedAt = 0;
  /** @internal When the recycle comes due (on the clock's shared timer, clock/deadlines.ts; armed while connected). */
  dueAt = 0;
  // cutOff: a response (or our request for one) was cut off by the drop, the restored session answers; recycleArmed,
  // recycleDue: the recycle's deadline is armed, has come. In one field.
  #flags = 0;

  constructor(deps: SessionReconnectDeps) {
    this.#d = deps;
  }

  /** The reconnector, when drops can be survived (settings and a factory). */
  get #reconnector(): Reconnector | undefined {
    if (this.#built) return this.#built;
    const { reconnectSettings: settings, transportFactory: factory } = this.#d;
    if (settings && factory) this.#built = this.#build(settings, factory);
    return this.#built;
  }

  /** True while a dropped connection is being restored. */
  get restoring(): boolean {
    return this.#built?.restoring ?? false;
  }

  /** The connection closed without our asking: restore it, unless the close says retrying cannot help. */
  dropped(detail: string, code: number): void {
    const { life, state } = this.#d;
    const reconnector = this.#reconnector;
    if (!state.started) {
      state.earlyDrop = code; // start() sees its waiters rejected, and may try a new connection
      return;
    }
    if (!reconnector || life.closing) {
      life.dropped(detail, code);
      return;
    }
    if (reconnector.restoring) return; // the attempt in progress fails and the next one begins
    const kind = classifyClose({ code, error: state.closingError });
    if (kind === "fatal") {
      const said = state.closingError?.code
        ? ` after the server's error ${state.closingError.code}`
        : "";
      this.#d.events.emit("error", {
        error: new SessionError(
          "connection_fatal",
          `${detail}${said}; reconnecting cannot fix this, so the session ends`,
        ),
      });
      life.dropped(detail, code);
      return;
    }
    this.#suspend();
    reconnector.start(kind, detail);
  }

  /**
   * The first connection dropped during the handshake (attempt `failed`): with reconnect on, a new one is set up
   * after the backoff and true returned (the start tries again); false when it is given up.
   */
  async retryHandshake(failed: number, detail: string): Promise<boolean> {
    return (await this.#reconnector?.retryHandshake(failed, detail)) ?? false;
  }

  /** A connection is set up: the recycle before the API's cap counts from now. */
  connected(): void {
    const { clock, reconnectSettings: settings } = this.#d;
    this.#connectedAt = Math.floor(clock.now()); // whole ms: no heap number (below 2^31 ms, see clock/deadlines.ts)
    this.clearRecycle();
    const after = settings?.recycleAfterMs;
    if (!settings || !this.#d.transportFactory || after === undefined || after === false) return;
    this.#flags |= RECYCLE_ARMED;
    deadlinesOf(clock).arm(this, after);
  }

  /** @internal The recycle came due: now if the session is idle, else when it next is (`idle()`). */
  due(): void {
    this.#flags = (this.#flags & ~RECYCLE_ARMED) | RECYCLE_DUE;
    if (!this.#d.busy()) this.#recycle();
  }

  /** The session just became idle: a recycle that came due meanwhile happens now. */
  idle(): void {
    if ((this.#flags & RECYCLE_DUE) !== 0) this.#recycle();
  }

  clearRecycle(): void {
    if ((this.#flags & RECYCLE_ARMED) !== 0) deadlinesOf(this.#d.clock).disarm(this);
    this.#flags &= ~(RECYCLE_ARMED | RECYCLE_DUE);
  }

  /** The connection is gone: what was in progress on it is cut off; requests and events wait. */
  #suspend(): void {
    this.#d.turn.userTurn(); // the restore is part of the turn: `idle` follows it, even with nothing else to do
    this.clearRecycle();
    this.#d.outbound.dropped(); // what the old server never confirmed goes again after the replay
    if (this.#d.responses.suspend()) this.#flags |= CUT_OFF;
  }

  /** The restored connection is ready: waiting events go out, then the agent resumes (one answer at most). */
  #resume(reason: RestoreReason): void {
    const { responses } = this.#d;
    this.connected();
    responses.resume();
    this.#d.outbound.flush();
    const announce = this.#d.reconnectSettings?.announce ?? this.#d.announceLine();
    const cut = (this.#flags & CUT_OFF) !== 0;
    this.#flags &= ~CUT_OFF;
    if (announce && reason !== "recycle")
      responses.request({
        kind: "answer",
        response: {
          instructions: `The call was cut off for a moment and is back. Say briefly: "${announce}" Then carry on where the conversation left off.`,
        },
      });
    else if (cut) responses.request({ kind: "answer" });
    this.#d.turn.check();
  }

  /** At a turn boundary past the recycle time: a new connection replaces this one before the cap ends it. */
  #recycle(): void {
    const reconnector = this.#reconnector;
    if (!reconnector || reconnector.restoring || this.#d.life.closing) return;
    this.#suspend();
    const age = Math.round(this.#d.clock.now() - this.#connectedAt);
    reconnector.start("recycle", `recycled after ${age} ms, before the session cap`, () =>
      this.#d.wire.release("recycle"),
    );
  }

  #build(settings: ReconnectSettings, factory: TransportFactory): Reconnector {
    const { clock, log, wire, conversation, events } = this.#d;
    // A SIP call's session lives on the server: re-attaching its sideband replays nothing (unconfirmed by the API).
    const reattach = Boolean(this.#d.callId) && settings.sideband === "reattach";
    return new Reconnector({
      settings,
      factory,
      clock,
      log: log.child("reconnect"),
      closing: () => this.#d.life.closing,
      attach: (transport) => wire.attach(transport),
      handshake: () => this.#d.connect(this.#d.state.currentUpdate),
      replay: () => {
        if (reattach) return 0;
        const items = conversation.toReplayItems(settings.maxReplayItems);
        // Calls of the old connection cannot be answered with function_call_output any more: text instead.
        this.#d.outbound.orphan(
          conversation
            .snapshot()
            .items.flatMap((e) => (e.type === "function_call" && e.callId ? [e.callId] : [])),
        );
        conversation.ignore(items.flatMap((i) => (i.id ? [i.id] : [])));
        for (const item of items) wire.send({ type: "conversation.item.create", item });
        return items.length;
      },
      resume: (reason) => this.#resume(reason),
      reconnecting: (e) => events.emit("reconnecting", e),
      restored: (e) => events.emit("restored", e),
      failed: (e) => {
        events.emit("restore_failed", e);
        this.#d.life.dropped(
          `the connection could not be restored after ${e.attempts} attempts: ${e.detail}`,
          1006,
        );
      },
      sessionId: () => this.#d.state.id,
    });
  }
}
