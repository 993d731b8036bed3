import type { RealtimeClientEvent, RealtimeServerEvent } from "openai/resources/realtime/realtime";
import type { Clock, TimerHandle } from "../clock/index.ts";
import type { Logger } from "../log/index.ts";
import type { Transport, TransportClose, TransportListener } from "../transport/transport.ts";
import { SessionError } from "./errors.ts";

interface Waiter {
  type: string;
  eventId: string | undefined;
  resolve(): void;
  reject(error: Error): void;
  timer: TimerHandle;
}

export interface WireHooks {
  /** `text`: the frame the event was read from, when the transport has it (see Transport). */
  event(event: RealtimeServerEvent, text: string | undefined): void;
  /** `text`: what the transport sent, when it serialised the event. */
  sent(event: RealtimeClientEvent, text: string | undefined): void;
  /** The transport closed without our asking (after it was open). */
  dropped(detail: string, code: number, reason: string): void;
}

// The class's booleans, as bits of its one flags field.
const CLOSING_BY_US = 1;
const REPLACED = 2;

/**
 * The session's side of its transport: `event_id`s on what goes out, a shield around what comes in (an event the
 * session cannot handle is logged and skipped), and waiters for the handshake replies (`session.created`,
 * `session.updated`, matched to the `event_id` of the update so its `error` can reject it).
 */
export class Wire implements TransportListener {
  #transport: Transport;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #hooks: WireHooks;
  /** Every event in and out, at debug level (`agent --verbose`, `PARLEY_LOG=parley:runtime:wire`). */
  readonly #wireLog: Logger;
  #waiters: Waiter[] | undefined;
  /** Replies that arrived before anyone waited for them (session.created can come in the upgrade's packet). */
  #early: Set<string> | undefined;
  #seq = 0;
  skipped = 0;
  // closingByUs; replaced: the first transport was replaced (a restore, a recycle), the wire no longer listens to it.
  #flags = 0;

  constructor(transport: Transport, clock: Clock, log: Logger, hooks: WireHooks) {
    this.#transport = transport;
    this.#clock = clock;
    this.#log = log;
    this.#hooks = hooks;
    this.#wireLog = log.child("wire");
    // The first transport's listener is the wire itself (no object per session); later ones get a WireListener.
    transport.listen(this);
  }

  /**
   * Carries on over a new transport (a restore after a drop, a recycle): the old one is let go (closed if still
   * open), `event_id`s keep counting, early replies are forgotten.
   */
  attach(transport: Transport): void {
    const old = this.#transport;
    this.#transport = transport;
    this.#early?.clear();
    this.#flags |= REPLACED;
    if (old.isOpen) void old.close("replaced").catch(() => {});
    transport.listen(new WireListener(this, transport));
  }

  /** Closes the current transport without ending the session (a recycle): its close is not reported as a drop. */
  async release(reason: string): Promise<void> {
    await this.#transport.close(reason);
  }

  /** @internal The first transport's event (until it is replaced). */
  event(event: RealtimeServerEvent, text?: string): void {
    if ((this.#flags & REPLACED) === 0) this.#onEvent(event, text);
  }

  /** @internal The first transport's close (until it is replaced). */
  closed(close: TransportClose): void {
    if ((this.#flags & REPLACED) === 0) this.transportClosed(this.#transport, close);
  }

  /** @internal A transport's event: a transport replaced since is not listened to any more. */
  transportEvent(transport: Transport, event: RealtimeServerEvent, text: string | undefined): void {
    if (transport === this.#transport) this.#onEvent(event, text);
  }

  /** @internal A transport's close. */
  transportClosed(transport: Transport, close: TransportClose): void {
    if (transport !== this.#transport) return;
    this.#rejectAll(new SessionError("socket_closed", close.detail));
    if (close.dropped && (this.#flags & CLOSING_BY_US) === 0)
      this.#hooks.dropped(close.detail, close.code, close.reason);
  }

  /** What carries the session (`ws`, `memory`, …). */
  get transportKind(): string {
    return this.#transport.kind;
  }

  get isOpen(): boolean {
    return this.#transport.isOpen && (this.#flags & CLOSING_BY_US) === 0;
  }

  /** Resolves once the transport is open; rejects with `connect_failed` otherwise. */
  opened(timeoutMs: number): Promise<void> {
    return this.#transport.opened(timeoutMs);
  }

  nextId(what: string): string {
    return `parley_${what}_${++this.#seq}`;
  }

  /**
   * Sends a client event. Events without an `event_id` get one (audio appends excepted: too many, never answered),
   * so that a server `error` always names the event that caused it.
   */
  send(event: RealtimeClientEvent): void {
    const out =
      event.event_id || event.type === "input_audio_buffer.append"
        ? event
        : { ...event, event_id: this.nextId("event") };
    const text = this.#transport.send(out);
    if (this.#wireLog.enabled("debug")) this.#wireLog.debug("sent", out);
    this.#hooks.sent(out, text || undefined);
  }

  /** Waits for a server event of `type` (the first one, or the one answering `eventId`). */
  waitFor(type: string, timeoutMs: number, eventId?: string): Promise<void> {
    if (eventId === undefined && this.#early?.delete(type)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        type,
        eventId,
        resolve,
        reject,
        timer: this.#clock.setTimeout(() => {
          const left = this.#waiters?.filter((w) => w !== waiter);
          this.#waiters = left?.length ? left : undefined;
          reject(
            new SessionError(
              "handshake_timeout",
              `no ${type} from the server within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters ??= [];
      this.#waiters.push(waiter);
    });
  }

  resolve(type: string): void {
    const at = this.#waiters?.findIndex((w) => w.type === type) ?? -1;
    if (at < 0) {
      this.#earlyOf().add(type);
      return;
    }
    const [waiter] = this.#takeWaiter(at);
    if (!waiter) return;
    this.#clock.clearTimeout(waiter.timer);
    waiter.resolve();
  }

  /** Rejects the waiter for the client event `eventId` (an `error` answered it). */
  reject(eventId: string, error: Error): boolean {
    const at = this.#waiters?.findIndex((w) => w.eventId === eventId) ?? -1;
    if (at < 0) return false;
    const [waiter] = this.#takeWaiter(at);
    if (!waiter) return false;
    this.#clock.clearTimeout(waiter.timer);
    waiter.reject(error);
    return true;
  }

  /** Closes the transport (normal closure) and resolves once it is closed. */
  async close(): Promise<void> {
    this.#flags |= CLOSING_BY_US;
    await this.#transport.close("session closed");
  }

  #onEvent(event: RealtimeServerEvent, text: string | undefined): void {
    if (this.#wireLog.enabled("debug")) this.#wireLog.debug("received", event);
    try {
      this.#hooks.event(event, text);
    } catch (error) {
      // A known type with an unexpected shape must not take the session down.
      this.skipped++;
      this.#log.warn("skipped a server event that could not be handled", {
        type: event.type,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Takes the waiter at `at` out; none left, the list goes too (an idle session holds no empty one). */
  #takeWaiter(at: number): Waiter[] {
    const taken = this.#waiters?.splice(at, 1) ?? [];
    if (this.#waiters?.length === 0) this.#waiters = undefined;
    return taken;
  }

  #rejectAll(error: Error): void {
    const waiters = this.#waiters ?? [];
    this.#waiters = undefined;
    for (const w of waiters) {
      this.#clock.clearTimeout(w.timer);
      w.reject(error);
    }
  }

  /** `#early`, made on the first write (most sessions never write to it). */
  #earlyOf(): Set<string> {
    this.#early ??= new Set();
    return this.#early;
  }
}

/** What a transport reports to its wire: one small object per connection, not two closures and their context. */
class WireListener implements TransportListener {
  readonly #wire: Wire;
  readonly #transport: Transport;

  constructor(wire: Wire, transport: Transport) {
    this.#wire = wire;
    this.#transport = transport;
  }

  event(event: RealtimeServerEvent, text?: string): void {
    this.#wire.transportEvent(this.#transport, event, text);
  }

  closed(close: TransportClose): void {
    this.#wire.transportClosed(this.#transport, close);
  }
}
