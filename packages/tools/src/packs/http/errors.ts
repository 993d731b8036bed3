import { ParleyError } from "@parley/core/pack";

/**
 * Why an HTTP tool call failed: `host_not_allowed`, `invalid_url`, `http_timeout`, `response_too_large`,
 * `too_many_redirects`, `http_network`. The message is safe to show (no credentials).
 */
export type HttpToolErrorCode =
  | "host_not_allowed"
  | "http_aborted"
  | "http_network"
  | "http_timeout"
  | "invalid_url"
  | "method_not_allowed"
  | "path_outside_base"
  | "response_too_large"
  | "too_many_redirects";

export class HttpToolError extends ParleyError<HttpToolErrorCode> {}
