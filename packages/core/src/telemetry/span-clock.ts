import type { Attributes, Context, Span, SpanOptions, Tracer } from "@opentelemetry/api";
import { otel } from "./otel.ts";

/**
 * Opens spans at the times the stream events carry. Events are stamped with the session clock (monotonic ms, not
 * wall time), so the first event anchors the clock to the wall: span times are `anchor + at`, and durations are
 * exactly the session clock's (a VirtualClock in tests gives exact spans).
 */
export class SpanClock {
  #offset: number | undefined;
  readonly #api = otel();
  readonly #client = this.#api.SpanKind.CLIENT;
  readonly #internal = this.#api.SpanKind.INTERNAL;
  /** The context of each parent span (a turn, a call: many spans open under one), made once. */
  readonly #contexts = new WeakMap<Span, Context>();
  /** The last parent asked for and its context: most spans in a row go under the same turn or session. */
  #last: { parent: Span; context: Context } | undefined;

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
    const options: SpanOptions = {
      startTime: this.time(at),
      attributes,
      kind: client ? this.#client : this.#internal,
    };
    return this.tracer.startSpan(name, options, parent ? this.#context(parent) : this.root);
  }

  #context(parent: Span): Context {
    if (this.#last?.parent === parent) return this.#last.context;
    let context = this.#contexts.get(parent);
    if (!context) {
      context = this.#api.trace.setSpan(this.root, parent);
      this.#contexts.set(parent, context);
    }
    this.#last = { parent, context };
    return context;
  }
}
