import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";

const TRACE_KEYS = ["traceparent", "tracestate"] as const;

/**
 * A fetch for the streamable HTTP transport that also sends a request's W3C trace context (`params._meta.traceparent`
 * / `tracestate`, set by the bridge per call) as HTTP headers, so servers and proxies that read the standard headers
 * (OpenTelemetry's HTTP instrumentation) join the session's trace too. The SDK posts each message as a JSON string;
 * a body that does not mention a trace context is not parsed.
 *
 * @example
 * new StreamableHTTPClientTransport(url, { fetch: traceHeadersFetch() });
 */
export function traceHeadersFetch(base: FetchLike = fetch): FetchLike {
  return (url, init) => {
    const trace = typeof init?.body === "string" ? traceOf(init.body) : undefined;
    if (!trace || !init) return base(url, init);
    const headers = new Headers(init.headers);
    for (const key of TRACE_KEYS) {
      const value = trace[key];
      if (typeof value === "string" && value) headers.set(key, value);
    }
    return base(url, { ...init, headers });
  };
}

/** The `_meta` trace context of a posted JSON-RPC message (the first one carrying it, in a batch). */
function traceOf(body: string): Record<string, unknown> | undefined {
  if (!body.includes('"traceparent"')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
    const meta = (message as { params?: { _meta?: Record<string, unknown> } } | null)?.params
      ?._meta;
    if (typeof meta?.traceparent === "string") return meta;
  }
  return undefined;
}
