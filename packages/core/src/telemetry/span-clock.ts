import type { Attributes, Context, Span, Tracer } from "@opentelemetry/api";
import { otel } from "./otel.ts";

/**
 * Opens spans at the times the stream events carry. Events are stamped with the session clock (monotonic ms, not
 * wall time), so the first event anchors the clock to the wall: span times are `anchor + at`, and durations are
 * exactly the session clock's (a VirtualClock in tests gives exact spans).
 */
export class SpanClock {
  #offset: number | undefined;

  constructor(
    readonly tracer: Tracer,
    readonly root: Context,
  ) {}

  /** Wall time (ms since the epoch) of a session-clock time. */
  time(at: number): number {
    this.#offset ??= Date.now() - at;
    return this.#offset + at;
  }

  /** A span starting at `at`, child of `parent` (or of the context the session was observed in). */
  start(
    name: string,
    at: number,
    parent: Span | undefined,
    attributes: Attributes,
    client = false,
  ): Span {
    const ctx = parent ? otel().trace.setSpan(this.root, parent) : this.root;
    return this.tracer.startSpan(
      name,
      {
        startTime: this.time(at),
        attributes,
        kind: client ? otel().SpanKind.CLIENT : otel().SpanKind.INTERNAL,
      },
      ctx,
    );
  }
}
