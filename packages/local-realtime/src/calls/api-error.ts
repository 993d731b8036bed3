import type { ServerResponse } from "node:http";

/** Writes the API's JSON error body (`{ error: { message, type, code, param } }`). */
export function sendApiError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  param: string | null = null,
): void {
  const body = JSON.stringify({
    error: { message, type: "invalid_request_error", code, param },
  });
  res.writeHead(status, { "content-type": "application/json" });
  res.end(body);
}

/** An empty 200, as the calls endpoints answer. */
export function sendEmpty(res: ServerResponse): void {
  res.writeHead(200);
  res.end();
}
