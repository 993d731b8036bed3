import type { TraceContext } from "../tool/define-tool.ts";

type Provider = (callId: string) => TraceContext | undefined;

// Set by telemetry while it observes a session; the session's scheduler asks it for each call it runs.
const providers = new WeakMap<object, Provider>();

/**
 * Makes `provider` the source of calls' trace context for `session` (telemetry does, when it attaches). Returns a
 * function that removes it.
 *
 * @example
 * const stop = provideTraceContext(session, (callId) => carrierOf(spans.get(callId)));
 */
export function provideTraceContext(session: object, provider: Provider): () => void {
  providers.set(session, provider);
  return () => {
    if (providers.get(session) === provider) providers.delete(session);
  };
}

/** The trace context of a call in `session`, or undefined when nothing traces it. */
export function traceContextOf(session: object, callId: string): TraceContext | undefined {
  return providers.get(session)?.(callId);
}
