import { createRequire } from "node:module";
import type { RealtimeClientEvent, RealtimeServerEvent } from "openai/resources/realtime/realtime";
import type { ClientOptions, default as WebSocket } from "ws";
import { type Clock, systemClock, type TimerHandle } from "../clock/index.ts";
import { createLogger, type Logger, redactString } from "../log/index.ts";
import { SessionError } from "../runtime/errors.ts";
import { clientEventText } from "./client-frames.ts";
import { parseServerFrame } from "./frames.ts";
import { Keepalive, type KeepaliveOptions } from "./keepalive.ts";
import {
  closeDetail,
  type Transport,
  type TransportClose,
  type TransportListener,
} from "./transport.ts";

export interface WsTransportOptions {
  /** The WebSocket URL (with `?model=` or `?call_id=`). Ignored when `socket` is given. */
  url?: string;
  /** An existing client socket to use instead of opening one (connecting or open). */
  socket?: WebSocket;
  /** Request headers (`Authorization: Bearer …`); never logged. */
  headers?: Record<string, string>;
  /** Extra `ws` client options (e.g. `{ ca }` for a local TLS server). */
  ws?: ClientOptions;
  /** For the connect timeout (default the system clock). */
  clock?: Clock;
  log?: Logger;
  /**
   * WebSocket pings after a silence, so a dead peer is found within `intervalMs + timeoutMs` (default 15 s + 10 s)
   * and reported as a drop; `false` turns them off.
   */
  keepalive?: KeepaliveOptions | false;
}

/**
 * The `ws` transport: JSON text frames in and out; malformed frames are logged and skipped; a close we did not ask
 * for, after the socket was open, is reported as a drop with its code and reason.
 *
 * @example
 * const transport = wsTransport({ url: "wss://api.openai.com/v1/realtime?model=gpt-realtime",
 *   headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` } });
 */
export function wsTransport(options: WsTransportOptions): Transport {
  return new WsTransport(options);
}

// The WebSocket readyState values (the standard's), so a socket given as `socket` needs no constants of its own.
const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

// `ws` is required when the first socket is made, not when core is imported: `agent validate` never pays for it.
let wsClass: typeof WebSocket | undefined;
function loadWs(): typeof WebSocket {
  wsClass ??= createRequire(import.meta.url)("ws") as typeof WebSocket;
  return wsClass;
}

// The socket's listeners are these functions, shared by every transport (`this` is the socket; its transport is
// found in `owners`), not closures made per connection.
const owners = new WeakMap<WebSocket, WsTransport>();
function onMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  owners.get(this)?.message(data, isBinary);
}
function onPong(this: WebSocket): void {
  owners.get(this)?.alive();
}
function onOpen(this: WebSocket): void {
  owners.get(this)?.socketOpened();
}
function onError(this: WebSocket, error: Error): void {
  owners.get(this)?.socketError(error);
}
function onClose(this: WebSocket, code: number, reason: Buffer): void {
  owners.get(this)?.socketClosed(code, reason);
}

// The class's booleans, as bits of its one flags field.
const CLOSING_BY_US = 1;
const WAS_OPEN = 2;
const IS_CLOSED = 4;

/** What only a failing or closing socket needs: made then (`#rareOf`). */
interface RareState {
  /** The socket's first error: what a failed connect reports. */
  openError: Error | undefined;
  /** Set when the keepalive gave up on the peer: the reason of the drop it causes. */
  deadPeer: string | undefined;
  /** `close()`'s wait for the socket's close, made only when someone waits (and its resolve). */
  closed: Promise<void> | undefined;
  closedWait: (() => void) | undefined;
}

class WsTransport extends Keepalive implements Transport {
  // closingByUs, wasOpen, isClosed: booleans in one field (the transport lives as long as its socket).
  #flags = 0;
  readonly #ws: WebSocket;
  readonly #log: Logger;
  #listener: TransportListener | undefined;
  /** What arrived before `listen` (the server may speak first, in the upgrade's packet). */
  #early: (Frame | TransportClose)[] | undefined;
  /** The callers of `opened` while the socket connects (most sessions: one, the handshake). */
  #openWaits: OpenWait[] | undefined;

  /** What only a failing or closing socket needs (its error, a dead peer's reason, close()'s wait): made then. */
  #rare: RareState | undefined;
  #rareOf(): RareState {
    this.#rare ??= {
      openError: undefined,
      deadPeer: undefined,
      closed: undefined,
      closedWait: undefined,
    };
    return this.#rare;
  }

  constructor(options: WsTransportOptions) {
    super(options.clock ?? systemClock, options.keepalive);
    this.#log = options.log ?? createLogger("parley:transport");
    const ws =
      options.socket ??
      new (loadWs())(options.url ?? "", {
        ...options.ws,
        headers: { ...(options.ws?.headers as Record<string, string>), ...options.headers },
      });
    this.#ws = ws;
    owners.set(ws, this);
    if (ws.readyState === OPEN) this.#flags |= WAS_OPEN;
    ws.on("message", onMessage);
    if ((this.#flags & WAS_OPEN) !== 0) this.#startKeepalive();
    else ws.on("open", onOpen);
    ws.on("error", onError);
    ws.on("close", onClose);
  }

  /** A getter, not a field: one string for every transport. */
  get kind(): string {
    return "ws";
  }

  /** @internal The socket opened. */
  socketOpened(): void {
    this.#flags |= WAS_OPEN;
    this.#startKeepalive();
    this.#settleOpen();
  }

  /** @internal A socket error (the close that follows reports it). */
  socketError(error: Error): void {
    this.#rareOf().openError ??= error;
    // A refused upgrade is opened()'s rejection, as it was when the transport listened for it.
    if ((this.#flags & WAS_OPEN) === 0 && refusedStatus(error.message) !== undefined) return;
    this.#log.warn("socket error", { message: redactString(error.message) });
  }

  /** @internal The socket closed. */
  socketClosed(code: number, reasonBuf: Buffer): void {
    this.stopKeepalive();
    this.#flags |= IS_CLOSED;
    const reason = this.#rare?.deadPeer ?? reasonBuf.toString();
    // A socket that never opened is a failed connect, reported by opened(), not a drop.
    const dropped = (this.#flags & CLOSING_BY_US) === 0 && (this.#flags & WAS_OPEN) !== 0;
    if ((this.#flags & WAS_OPEN) === 0) this.#settleOpen(this.#connectFailed());
    this.#deliver({ code, reason, detail: closeDetail(code, reason), dropped });
    this.#rare?.closedWait?.();
  }

  #startKeepalive(): void {
    if (this.startKeepalive()) this.#ws.on("pong", onPong);
  }

  protected pingPeer(): void {
    this.#ws.ping();
  }

  protected peerGone(why: string): void {
    this.#rareOf().deadPeer = why;
    this.#log.warn("the server stopped answering; closing the connection", { why });
    this.#ws.terminate();
  }

  get isOpen(): boolean {
    return this.#ws.readyState === OPEN && (this.#flags & CLOSING_BY_US) === 0;
  }

  listen(listener: TransportListener): void {
    this.#listener = listener;
    const early = this.#early;
    this.#early = undefined;
    for (const e of early ?? []) this.#deliver(e);
  }

  opened(timeoutMs: number): Promise<void> {
    if (this.#ws.readyState === OPEN) return Promise.resolve();
    if ((this.#flags & IS_CLOSED) !== 0) return Promise.reject(this.#connectFailed());
    // No listeners of its own: the socket's shared ones settle the wait (an `open`, `close` or refused upgrade
    // added and removed per connect would leave the socket's listener table a size larger for its whole life).
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        // Only this wait ends (settled waits had their timers cleared).
        this.#openWaits = this.#openWaits?.filter((w) => w !== wait);
        reject(new SessionError("connect_failed", `could not connect within ${timeoutMs} ms`));
        this.#ws.terminate();
      }, timeoutMs);
      const wait: OpenWait = { resolve, reject, timer };
      this.#openWaits ??= [];
      this.#openWaits.push(wait);
    });
  }

  /** Ends every wait of `opened`: rejected with `error`, or resolved (the socket opened). */
  #settleOpen(error?: SessionError): void {
    const waits = this.#openWaits;
    this.#openWaits = undefined;
    for (const w of waits ?? []) {
      this.clock.clearTimeout(w.timer);
      if (error) w.reject(error);
      else w.resolve();
    }
  }

  /** Why the socket closed before it opened: the refused upgrade's HTTP status, or the socket's error. */
  #connectFailed(): SessionError {
    const message = this.#rare?.openError?.message ?? "the socket closed";
    const status = refusedStatus(message);
    return new SessionError(
      "connect_failed",
      redactString(
        status
          ? `the server refused the connection: HTTP ${status}${status === "401" ? " (check the API key)" : ""}`
          : `could not connect: ${message}`,
      ),
    );
  }

  send(event: RealtimeClientEvent): string | undefined {
    if (this.#ws.readyState !== OPEN) return undefined;
    const text = clientEventText(event);
    this.#ws.send(text);
    return text;
  }

  /** Closes the socket (normal closure) and resolves once it is closed, or after a second (then terminates). */
  async close(reason = "session closed"): Promise<void> {
    this.#flags |= CLOSING_BY_US;
    if (this.#ws.readyState === CLOSED) return;
    if (this.#ws.readyState === CONNECTING) this.#ws.terminate();
    else this.#ws.close(1000, reason);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      // Real time on purpose: a stuck TCP close must not depend on a virtual clock being advanced.
      timer = setTimeout(() => {
        this.#ws.terminate();
        resolve();
      }, 1000);
      timer.unref();
    });
    const rare = this.#rareOf();
    rare.closed ??=
      (this.#flags & IS_CLOSED) !== 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            rare.closedWait = resolve;
          });
    await Promise.race([rare.closed, late]);
    clearTimeout(timer);
  }

  #deliver(item: Frame | TransportClose): void {
    const listener = this.#listener;
    if (!listener) {
      this.#early ??= [];
      this.#early.push(item);
      return;
    }
    if ("event" in item) listener.event(item.event, item.text);
    else listener.closed(item);
  }

  /** @internal A frame came. */
  message(data: WebSocket.RawData, isBinary: boolean): void {
    this.alive();
    if (isBinary) {
      this.#log.warn("skipped a malformed server frame", { preview: "(binary frame)" });
      return;
    }
    const text = data.toString();
    const event = parseServerFrame(text, this.#log);
    if (!event) return;
    // No object per frame once listened to (the common case): only early frames are kept with their text.
    if (this.#listener) this.#listener.event(event, text);
    else {
      this.#early ??= [];
      this.#early.push({ event, text });
    }
  }
}

/** One caller of `opened`, waiting. */
/**
 * The HTTP status of a refused upgrade: `ws` reports an upgrade the server answered with another status as this
 * error when no one listens for `unexpected-response` (listening would cost every socket a larger listener table).
 */
function refusedStatus(message: string): string | undefined {
  return /^Unexpected server response: (\d+)$/.exec(message)?.[1];
}

interface OpenWait {
  resolve: () => void;
  reject: (error: SessionError) => void;
  timer: TimerHandle;
}

/** A server event with the frame text it was parsed from. */
interface Frame {
  event: RealtimeServerEvent;
  text: string;
}
