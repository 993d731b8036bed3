import type { RealtimeClientEvent, RealtimeServerEvent } from "openai/resources/realtime/realtime";

/** How a transport's connection ended. */
export interface TransportClose {
  /** The close code (WebSocket codes; 1000 normal, 1006 abnormal; an in-memory peer chooses its own). */
  code: number;
  /** The close reason the peer gave, possibly empty. */
  reason: string;
  /** One readable line: `the connection closed (code 1006)`. */
  detail: string;
  /**
   * True when the connection was open and ended without `close()` being called: a drop, what a reconnect acts on.
   * False for our own close and for a connection that never opened (that is a failed connect, see `opened`).
   */
  dropped: boolean;
}

/** What a transport reports to the one party listening to it (the session's wire). */
export interface TransportListener {
  /**
   * A server event, already parsed; malformed frames are logged and skipped by the transport. `text`: the frame it
   * was parsed from, when there was one (a session log writes it as is instead of serialising the event again).
   */
  event(event: RealtimeServerEvent, text?: string): void;
  /** The connection ended (once). */
  closed(close: TransportClose): void;
}

/**
 * The seam between a session and the Realtime server: client events out, server events in, a close with a reason,
 * and the report of a drop with its code. `ws` (`wsTransport`) talks to the API or a local server; the in-memory one
 * (`memoryTransportPair` in `@parley/core/testing`) to a local server's model in the same process. A SIP sideband is
 * the `ws` one with `?call_id=`. See docs/architecture.md.
 *
 * @example
 * const session = await startSession({ agent, transport: wsTransport({ url, headers }) });
 */
export interface Transport {
  /** What it is, for logs and the event stream: `ws`, `memory`, … */
  readonly kind: string;
  /** True once open, until closed or dropped. */
  readonly isOpen: boolean;
  /**
   * Sets the listener. Events that arrived before (a `session.created` in the upgrade's packet) are delivered to it
   * then, in order. Called once per transport.
   */
  listen(listener: TransportListener): void;
  /** Resolves once the transport is open; rejects (SessionError `connect_failed`) if it cannot open in time. */
  opened(timeoutMs: number): Promise<void>;
  /**
   * Sends one client event (already carrying its `event_id`). A closed transport drops it. Returns the text it sent,
   * when it serialised the event (a session log writes that text instead of serialising the event again).
   */
  send(event: RealtimeClientEvent): string | undefined | void;
  /** Closes the connection (normal closure, with `reason`) and resolves once it is closed. Idempotent. */
  close(reason?: string): Promise<void>;
}

/**
 * Builds a fresh transport for each connection attempt: the first connect is attempt 1; a reconnect asks for the
 * next. `startSession` accepts one where it accepts a transport.
 *
 * @example
 * const transport: TransportFactory = ({ attempt }) => wsTransport({ url, headers: { Authorization: `Bearer ${key}` } });
 */
export type TransportFactory = (context: { attempt: number }) => Transport;

/** The readable line for a close code and reason. */
export function closeDetail(code: number, reason: string): string {
  return `the connection closed (code ${code}${reason ? `: ${reason}` : ""})`;
}
