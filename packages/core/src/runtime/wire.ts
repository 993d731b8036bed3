import type { RealtimeClientEvent, RealtimeServerEvent } from "openai/resources/realtime/realtime";
import WebSocket from "ws";
import type { Clock, TimerHandle } from "../clock/index.ts";
import type { Logger } from "../log/index.ts";
import { redactString } from "../log/index.ts";
import { SessionError } from "./errors.ts";

interface Waiter {
  type: string;
  eventId: string | undefined;
  resolve(): void;
  reject(error: Error): void;
  timer: TimerHandle;
}

export interface WireHooks {
  event(event: RealtimeServerEvent): void;
  sent(event: RealtimeClientEvent): void;
  /** The socket closed without our asking. */
  dropped(detail: string, code: number): void;
}

/**
 * The socket: JSON in and out, malformed frames logged and skipped, and waiters for the handshake replies
 * (`session.created`, `session.updated`, matched to the `event_id` of the update so its `error` can reject it).
 */
export class Wire {
  readonly #ws: WebSocket;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #hooks: WireHooks;
  /** Every event in and out, at debug level (`agent --verbose`, `PARLEY_LOG=parley:runtime:wire`). */
  readonly #wireLog: Logger;
  #waiters: Waiter[] = [];
  /** Replies that arrived before anyone waited for them (session.created can come in the upgrade's packet). */
  readonly #early = new Set<string>();
  #seq = 0;
  #closingByUs = false;
  #closed: Promise<void>;
  #openError: Error | undefined;
  #wasOpen = false;
  skipped = 0;

  constructor(ws: WebSocket, clock: Clock, log: Logger, hooks: WireHooks) {
    this.#ws = ws;
    this.#clock = clock;
    this.#log = log;
    this.#hooks = hooks;
    this.#wireLog = log.child("wire");
    ws.on("message", (data, isBinary) => this.#onMessage(data, isBinary));
    this.#wasOpen = ws.readyState === WebSocket.OPEN;
    ws.once("open", () => {
      this.#wasOpen = true;
    });
    ws.on("error", (error) => {
      this.#openError ??= error;
      this.#log.warn("socket error", { message: redactString(error.message) });
    });
    this.#closed = new Promise((resolve) => {
      ws.once("close", (code, reasonBuf) => {
        const reason = reasonBuf.toString();
        const detail = `the connection closed (code ${code}${reason ? `: ${reason}` : ""})`;
        this.#rejectAll(new SessionError("socket_closed", detail));
        // A socket that never opened is a failed connect, reported by opened(), not a drop.
        if (!this.#closingByUs && this.#wasOpen) this.#hooks.dropped(detail, code);
        resolve();
      });
    });
  }

  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN && !this.#closingByUs;
  }

  /** Resolves once the socket is open; rejects with `connect_failed` (the HTTP status or socket error) otherwise. */
  opened(timeoutMs: number): Promise<void> {
    if (this.#ws.readyState === WebSocket.OPEN) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        this.#clock.clearTimeout(timer);
        this.#ws.off("open", ok).off("unexpected-response", refused).off("close", closed);
      };
      const fail = (message: string) => {
        cleanup();
        reject(new SessionError("connect_failed", redactString(message)));
      };
      const ok = () => {
        cleanup();
        resolve();
      };
      const refused = (_req: unknown, res: { statusCode?: number }) => {
        fail(
          `the server refused the connection: HTTP ${res.statusCode}${res.statusCode === 401 ? " (check the API key)" : ""}`,
        );
        this.#ws.terminate();
      };
      const closed = () =>
        fail(`could not connect: ${this.#openError?.message ?? "the socket closed"}`);
      const timer = this.#clock.setTimeout(() => {
        fail(`could not connect within ${timeoutMs} ms`);
        this.#ws.terminate();
      }, timeoutMs);
      this.#ws.on("open", ok).on("unexpected-response", refused).on("close", closed);
    });
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
    this.#ws.send(JSON.stringify(out));
    if (this.#wireLog.enabled("debug")) this.#wireLog.debug("sent", out);
    this.#hooks.sent(out);
  }

  /** Waits for a server event of `type` (the first one, or the one answering `eventId`). */
  waitFor(type: string, timeoutMs: number, eventId?: string): Promise<void> {
    if (eventId === undefined && this.#early.delete(type)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        type,
        eventId,
        resolve,
        reject,
        timer: this.#clock.setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          reject(
            new SessionError(
              "handshake_timeout",
              `no ${type} from the server within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  resolve(type: string): void {
    const at = this.#waiters.findIndex((w) => w.type === type);
    if (at < 0) {
      this.#early.add(type);
      return;
    }
    const [waiter] = this.#waiters.splice(at, 1);
    if (!waiter) return;
    this.#clock.clearTimeout(waiter.timer);
    waiter.resolve();
  }

  /** Rejects the waiter for the client event `eventId` (an `error` answered it). */
  reject(eventId: string, error: Error): boolean {
    const at = this.#waiters.findIndex((w) => w.eventId === eventId);
    if (at < 0) return false;
    const [waiter] = this.#waiters.splice(at, 1);
    if (!waiter) return false;
    this.#clock.clearTimeout(waiter.timer);
    waiter.reject(error);
    return true;
  }

  /** Closes the socket (normal closure) and resolves once it is closed, or after a second (then terminates). */
  async close(): Promise<void> {
    this.#closingByUs = true;
    if (this.#ws.readyState === WebSocket.CLOSED) return;
    if (this.#ws.readyState === WebSocket.CONNECTING) this.#ws.terminate();
    else this.#ws.close(1000, "session closed");
    let timer: TimerHandle | undefined;
    const late = new Promise<void>((resolve) => {
      // Real time on purpose: a stuck TCP close must not depend on a virtual clock being advanced.
      const t = setTimeout(() => {
        this.#ws.terminate();
        resolve();
      }, 1000);
      t.unref();
      timer = t;
    });
    await Promise.race([this.#closed, late]);
    clearTimeout(timer as NodeJS.Timeout);
  }

  #onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    let event: unknown;
    try {
      if (isBinary) throw new Error("binary frame");
      event = JSON.parse(typeof data === "string" ? data : data.toString());
    } catch {
      this.skipped++;
      this.#log.warn("skipped a malformed server frame", { preview: String(data).slice(0, 200) });
      return;
    }
    if (
      !event ||
      typeof event !== "object" ||
      typeof (event as { type?: unknown }).type !== "string"
    ) {
      this.skipped++;
      this.#log.warn("skipped a server event without a type", {
        preview: JSON.stringify(event).slice(0, 200),
      });
      return;
    }
    if (this.#wireLog.enabled("debug")) this.#wireLog.debug("received", event);
    try {
      this.#hooks.event(event as RealtimeServerEvent);
    } catch (error) {
      // A known type with an unexpected shape must not take the session down.
      this.skipped++;
      this.#log.warn("skipped a server event that could not be handled", {
        type: (event as { type: string }).type,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  #rejectAll(error: Error): void {
    for (const w of this.#waiters.splice(0)) {
      this.#clock.clearTimeout(w.timer);
      w.reject(error);
    }
  }
}
