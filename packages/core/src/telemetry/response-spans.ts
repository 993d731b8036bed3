import type { Attributes, Span } from "@opentelemetry/api";
import type { StreamEvent } from "../runtime/event-stream.ts";
import { GenAi, Parley, PROVIDER, withAttributes } from "./attributes.ts";
import type { Instruments } from "./instruments.ts";
import { otel } from "./otel.ts";
import type { SpanClock } from "./span-clock.ts";

type Of<T extends StreamEvent["type"]> = Extract<StreamEvent, { type: T }>;

interface Response {
  span: Span;
  at: number;
  kind: string;
  output: boolean;
}

/** One `chat {model}` span per Realtime response: response.created → response.done, first output, tokens, cost. */
export class ResponseSpans {
  readonly #responses = new Map<string, Response>();

  constructor(
    private readonly clock: SpanClock,
    private readonly metrics: Instruments,
    private readonly labels: () => Attributes,
    private readonly model: () => string,
  ) {}

  /** The open span of a response (an MCP call it runs goes under it). */
  spanOf(responseId: string): Span | undefined {
    return this.#responses.get(responseId)?.span;
  }

  start(e: Of<"response.started">, parent: Span | undefined): void {
    const model = this.model();
    const span = this.clock.start(
      `chat ${model}`,
      e.at,
      parent,
      {
        [GenAi.operationName]: "chat",
        [GenAi.providerName]: PROVIDER,
        [GenAi.system]: PROVIDER,
        [GenAi.requestModel]: model,
        [GenAi.responseId]: e.responseId,
        [Parley.responseKind]: e.kind,
        [Parley.responseOrigin]: e.origin,
        [Parley.outOfBand]: e.outOfBand,
      },
      true,
    );
    this.#responses.set(e.responseId, { span, at: e.at, kind: e.kind, output: false });
  }

  /** The first output of `responseId` (later ones cost a map lookup). */
  output(responseId: string, at: () => number): void {
    const response = this.#responses.get(responseId);
    if (!response || response.output) return;
    this.#first(response, at());
  }

  #first(response: Response, at: number): void {
    response.output = true;
    // An attribute, not a span event: the time is all there is to say.
    response.span.setAttribute(Parley.firstOutputMs, at - response.at);
  }

  usage(e: Of<"usage">): void {
    const span = this.#responses.get(e.responseId)?.span;
    const usage = e.usage;
    const input = usage?.input_tokens ?? 0;
    const output = usage?.output_tokens ?? 0;
    const cached = usage?.input_token_details?.cached_tokens ?? 0;
    span?.setAttributes({
      [GenAi.inputTokens]: input,
      [GenAi.outputTokens]: output,
      [GenAi.cachedInputTokens]: cached,
      ...(e.cost ? { [Parley.costUsd]: e.cost.usd } : {}),
    });
    const labels = withAttributes(this.labels(), { [GenAi.requestModel]: this.model() });
    if (usage) {
      this.metrics.tokens.record(input, withAttributes(labels, { [GenAi.tokenType]: "input" }));
      this.metrics.tokens.record(output, withAttributes(labels, { [GenAi.tokenType]: "output" }));
    }
    if (e.cost) this.metrics.cost.add(e.cost.usd, labels);
  }

  end(e: Of<"response.done">): void {
    const response = this.#responses.get(e.responseId);
    if (!response) return;
    this.#responses.delete(e.responseId);
    const status = e.status ?? "unknown";
    response.span.setAttribute(GenAi.finishReasons, [status]);
    if (status === "failed") {
      response.span.setAttribute(GenAi.errorType, "response_failed");
      response.span.setStatus({ code: otel().SpanStatusCode.ERROR, message: "response failed" });
    }
    response.span.end(this.clock.time(e.at));
    const labels = withAttributes(this.labels(), {
      [Parley.responseKind]: e.kind,
      "parley.response.status": status,
    });
    this.metrics.responses.add(1, labels);
    this.metrics.responseDuration.record(
      (e.at - response.at) / 1000,
      withAttributes(this.labels(), {
        [GenAi.operationName]: "chat",
        [GenAi.requestModel]: this.model(),
      }),
    );
  }

  /** The session ended: responses still open end now. */
  closeAll(at: number): void {
    for (const response of this.#responses.values()) {
      response.span.setAttribute(GenAi.finishReasons, ["unfinished"]);
      response.span.end(this.clock.time(at));
    }
    this.#responses.clear();
  }
}
