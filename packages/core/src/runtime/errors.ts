import type { RealtimeErrorEvent } from "openai/resources/realtime/realtime";
import { ParleyError } from "../errors/index.ts";

/**
 * An `error` event from the Realtime server. `code` is the server's code (`conversation_already_has_active_response`,
 * `invalid_value`, …, or `server_error` when it sent none); `eventId` is the id of the client event that caused it.
 *
 * @example
 * session.on("error", ({ error }) => {
 *   if (error instanceof RealtimeServerError && error.param === "session.audio.output.voice") …
 * });
 */
export class RealtimeServerError extends ParleyError {
  /** The server's error type (`invalid_request_error`, `server_error`, …). */
  readonly type: string;
  readonly param: string | undefined;
  /** The `event_id` of the client event that caused the error, when the server names it. */
  readonly eventId: string | undefined;

  constructor(event: RealtimeErrorEvent) {
    const e = event.error;
    super(
      e.code ?? "server_error",
      `Realtime server error${e.code ? ` ${e.code}` : ""}: ${e.message}`,
    );
    this.type = e.type;
    this.param = e.param ?? undefined;
    this.eventId = e.event_id ?? undefined;
  }
}

/**
 * The codes of SessionError. `handoff_failed`: a `transfer_to_<name>` call could not switch agents;
 * `response_stalled`: the watchdog cancelled a silent response; `connection_fatal`: the connection closed for a reason
 * reconnecting cannot fix (a bad key, no quota, …); `socket_closed`: the connection ended while the session waited
 * on it; `update_unsupported` / `missing_agent` / `tools_update_failed`: an agent change the session cannot make.
 */
export type SessionErrorCode =
  | "connect_failed"
  | "connection_fatal"
  | "handoff_failed"
  | "handshake_timeout"
  | "image_too_large"
  | "image_unreadable"
  | "image_unsupported"
  | "listener_failed"
  | "missing_agent"
  | "missing_credentials"
  | "missing_transport"
  | "response_stalled"
  | "session_closed"
  | "socket_closed"
  | "tools_update_failed"
  | "update_unsupported";

/** Something the session itself refuses or cannot do; `code` is one of SessionErrorCode. */
export class SessionError extends ParleyError<SessionErrorCode> {}
