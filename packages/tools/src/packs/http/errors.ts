import { ParleyError } from "@parley/core";

/**
 * Why an HTTP tool call failed: `host_not_allowed`, `invalid_url`, `http_timeout`, `response_too_large`,
 * `too_many_redirects`, `http_network`. The message is safe to show (no credentials).
 */
export class HttpToolError extends ParleyError {}
