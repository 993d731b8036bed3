import type { Span } from "@opentelemetry/api";
import type { TraceContext } from "../tool/index.ts";
import { otel } from "./otel.ts";

/**
 * A span as W3C Trace Context (`traceparent: 00-<trace id>-<span id>-<flags>`, and its `tracestate`), or undefined
 * for no span or a no-op one (no SDK registered): then nothing is propagated.
 *
 * @example
 * w3cTraceContext(span) // { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" }
 */
export function w3cTraceContext(span: Span | undefined): TraceContext | undefined {
  const context = span?.spanContext();
  // Only asked once a span exists, so the (lazily loaded) API is already in.
  if (!context || !otel().isSpanContextValid(context)) return undefined;
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, "0");
  const out: TraceContext = { traceparent: `00-${context.traceId}-${context.spanId}-${flags}` };
  const state = context.traceState?.serialize();
  if (state) out.tracestate = state;
  return out;
}
