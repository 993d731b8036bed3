/** What a closed connection means for the session. */
export type CloseClass =
  /** It will not work again by retrying (bad key, no quota, account, invalid request): end with a clear error. */
  | "fatal"
  /** The API's session cap (`session_expired`): restore at once. */
  | "expired"
  /** The network or the server dropped us: restore with backoff. */
  | "network";

/**
 * Error codes after which reconnecting cannot help (the same as LiveKit's list, plus the API's auth and request
 * refusals). Seen as the `error` event the API sends just before it closes.
 */
export const FATAL_ERROR_CODES: ReadonlySet<string> = new Set([
  "invalid_api_key",
  "insufficient_quota",
  "account_deactivated",
  "billing_hard_limit_reached",
  "billing_not_active",
  "organization_deactivated",
  "model_not_found",
  "unauthorized",
  "forbidden",
]);

/**
 * WebSocket close codes that say the client itself is at fault (a protocol error, data it cannot take, a policy
 * violation): reconnecting with the same session would meet the same end.
 */
const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([1002, 1003, 1007, 1008, 1009]);

/** The server's `error` event that came last before the close (nothing else came after it). */
export interface ClosingError {
  code?: string | null | undefined;
  type?: string | null | undefined;
}

/**
 * Classifies a close from its code and the `error` event the server sent right before it, if any: the API says why
 * it ends a session in an error event, then closes.
 *
 * @example
 * classifyClose({ code: 1006 }) // "network"
 * classifyClose({ code: 1000, error: { type: "invalid_request_error", code: "session_expired" } }) // "expired"
 */
export function classifyClose(close: {
  code: number;
  error?: ClosingError | undefined;
}): CloseClass {
  const { code, type } = close.error ?? {};
  if (code === "session_expired") return "expired";
  if (code && FATAL_ERROR_CODES.has(code)) return "fatal";
  // An invalid request the server closed over: sending it again would meet the same end.
  if (type === "invalid_request_error") return "fatal";
  if (FATAL_CLOSE_CODES.has(close.code)) return "fatal";
  // 4000–4999 are application codes; the API uses none we know of, so they count as the server going away.
  return "network";
}
