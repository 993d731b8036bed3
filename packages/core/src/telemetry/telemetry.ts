import type { MeterProvider, TracerProvider } from "@opentelemetry/api";
import { type Clock, systemClock } from "../clock/index.ts";
import type { LoadedAgent } from "../contracts/agent.ts";
import type { StreamListener } from "../runtime/event-stream.ts";
import type { Session } from "../runtime/session.ts";
import { provideTraceContext } from "../runtime/trace-context.ts";
import { attachToSession } from "./attach.ts";
import { Instruments } from "./instruments.ts";
import { otel } from "./otel.ts";
import { w3cTraceContext } from "./propagation.ts";
import { SessionObserver } from "./session-observer.ts";
import { SpanClock } from "./span-clock.ts";

/** The instrumentation scope Parley's spans and metrics are reported under. */
export const INSTRUMENTATION_SCOPE = "@parley/core";

export interface TelemetryOptions {
  /** Where spans go (default: the global provider, `trace.setGlobalTracerProvider` / an SDK's `register()`). */
  tracerProvider?: TracerProvider;
  /** Where metrics go (default: the global provider). */
  meterProvider?: MeterProvider;
  /**
   * Put tool arguments and results on the tool spans (`gen_ai.tool.call.arguments` / `.result`, redacted, cut at
   * 4 KB). Off by default: they are the caller's data.
   */
  captureContent?: boolean;
}

/**
 * Traces and metrics for sessions, through the OpenTelemetry API only: with no SDK registered (and no provider
 * given) every span and instrument is a no-op. Derived from each session's event stream, nothing else.
 *
 * @example
 * // once, at start-up: any OpenTelemetry SDK and exporter (OTLP, Jaeger, the console…)
 * new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] }).register();
 * const session = await startSession({ agent, telemetry: true });
 */
export class Telemetry {
  readonly #options: TelemetryOptions;

  constructor(options: TelemetryOptions = {}) {
    this.#options = options;
  }

  /** The tracer provider given (undefined: the global one, read when a session is observed). */
  get tracerProvider(): TracerProvider | undefined {
    return this.#options.tracerProvider;
  }

  /** The meter provider given (undefined: the global one). */
  get meterProvider(): MeterProvider | undefined {
    return this.#options.meterProvider;
  }

  /**
   * Traces and measures `session` from its events (what `startSession({ telemetry })` does, before the handshake).
   * `clock` is the session's (default the system clock). Returns a function that stops.
   */
  attach(session: Session, clock: Clock = systemClock): () => void {
    const observer = this.#observer(() => session.agent);
    const detach = attachToSession(session, clock, observer);
    // Each tool call gets its span's trace context (ctx.trace), which bridged MCP tools send on.
    const stop = provideTraceContext(session, (callId) =>
      w3cTraceContext(observer.callSpan(callId)),
    );
    return () => {
      detach();
      stop();
      observer.flushRecords();
    };
  }

  /**
   * Hands the histogram records held to the meter provider now. Records are batched across sessions (RecordBatch:
   * handed over 64 at a time, and at every collection first), so an OpenTelemetry SDK's export never misses one;
   * this is for a meter that never collects, and for measuring: the telemetry bench charges them to the rounds that
   * made them.
   */
  flushRecords(): void {
    this.#meters().batch.flush();
  }

  /**
   * The same from a session's serialisable event stream: a listener for `session.onEvent`, or for events read back
   * from a session log or received from another process. `agent` tells it the agent the session runs (which tools
   * are MCP or delegations). The stream costs more per event than `attach` (every event copied and redacted).
   */
  observe(agent: () => LoadedAgent | undefined = () => undefined): StreamListener {
    const observer = this.#observer(agent);
    return (event) => observer.handle(event);
  }

  #observer(agent: () => LoadedAgent | undefined): SessionObserver {
    const provider = this.#options.tracerProvider ?? otel().trace.getTracerProvider();
    const clock = new SpanClock(provider.getTracer(INSTRUMENTATION_SCOPE), otel().context.active());
    return new SessionObserver(clock, this.#meters(), agent, this.#options.captureContent ?? false);
  }

  /** The instruments of the provider (the global one has no proxy: an SDK registered later is a new one). */
  #meters(): Instruments {
    return instrumentsOf(this.#options.meterProvider ?? otel().metrics.getMeterProvider());
  }
}

const instruments = new WeakMap<MeterProvider, Instruments>();

/**
 * One set of instruments per provider, whichever Telemetry asks: its counters are totals reported by callbacks, and
 * two callbacks reporting the same attribute set would each replace the other's figure (a synchronous counter would
 * have added them).
 */
function instrumentsOf(provider: MeterProvider): Instruments {
  let made = instruments.get(provider);
  if (!made) {
    made = new Instruments(provider.getMeter(INSTRUMENTATION_SCOPE));
    instruments.set(provider, made);
  }
  return made;
}

let globalTelemetry: Telemetry | undefined;

/** The Telemetry over the global providers (what `startSession({ telemetry: true })` uses). */
export function defaultTelemetry(): Telemetry {
  globalTelemetry ??= new Telemetry();
  return globalTelemetry;
}
