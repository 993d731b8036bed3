import type { Attributes, Span } from "@opentelemetry/api";
import type { SessionEvents } from "../runtime/events.ts";
import { GEN_AI_CHAT, GenAi, Parley, PROVIDER, withAttributes } from "./attributes.ts";
import type { Instruments } from "./instruments.ts";
import { otel } from "./otel.ts";
import type { SpanClock } from "./span-clock.ts";

/** A session event's payload (a stream event of that type is one too). */
type Payload<K extends keyof SessionEvents> = Parameters<SessionEvents[K]>[0];

interface Response {
  /** Opened only when something must go under it before the response ends (an MCP call it runs), else at its end. */
  span: Span | undefined;
  parent: Span | undefined;
  at: number;
  model: string;
  /** What it learns after it is created (the attributes samplers see are given at creation, by model). */
  attributes: Attributes;
  output: boolean;
}

/**
 * What the responses of one model are recorded with, made once: the span's name and creation attributes, and the
 * metric attribute sets over the session's labels (`base`), so a response builds no key and no attribute object.
 */
interface ModelShape {
  model: string;
  base: Attributes;
  name: string;
  creation: Attributes;
  input: Attributes;
  output: Attributes;
  cost: Attributes;
  /** Duration sets by kind, then status (both a handful of values). */
  durations: Map<string, Map<string, Attributes>>;
}

/**
 * Shapes by session labels (one object per agent, see sessionLabels) and model, shared by every session: a new
 * session's records go to series the metrics already batch, and it builds nothing.
 */
const shapes = new WeakMap<Attributes, Map<string, ModelShape>>();
/** Models a labels' map keeps before starting over (a handful in practice; this bounds a surprise). */
const MAX_MODELS = 64;

/**
 * One `chat {model}` span per Realtime response: response.created → response.done, first output, tokens, cost.
 * The span is made when the response ends, with its start time (a few SDK calls per response instead of some per
 * event; the exported span is the same), unless an MCP call needs it as a parent sooner. It is created with the
 * attributes the GenAI conventions want at creation (operation, provider, model: what a sampler may read), one
 * object per model; the rest are set in one call before it ends, so the SDK copies and checks them once rather than
 * three times (startSpan sanitises its attributes twice before setting them). Then three metric records (tokens in
 * and out, duration) and the cost added to a tally, their attribute sets made once.
 */
export class ResponseSpans {
  readonly #responses = new Map<string, Response>();
  /** The shape of the model last seen (a session rarely changes model). */
  #shape: ModelShape | undefined;

  constructor(
    private readonly clock: SpanClock,
    private readonly metrics: Instruments,
    private readonly labels: () => Attributes,
    private readonly model: () => string,
  ) {}

  /** The span of a response still open (an MCP call it runs goes under it): opened now if it was not yet. */
  spanOf(responseId: string): Span | undefined {
    const response = this.#responses.get(responseId);
    if (!response) return undefined;
    response.span ??= this.#open(response);
    return response.span;
  }

  start(e: Payload<"response.started">, at: number, parent: Span | undefined): void {
    const model = this.model();
    this.#responses.set(e.responseId, {
      span: undefined,
      parent,
      at,
      model,
      output: false,
      attributes: {
        [GenAi.responseId]: e.responseId,
        [Parley.responseKind]: e.kind,
        [Parley.responseOrigin]: e.origin,
        [Parley.outOfBand]: e.outOfBand,
      },
    });
  }

  /** The first output of `responseId` (later ones cost a map lookup). */
  output(responseId: string, at: () => number): void {
    const response = this.#responses.get(responseId);
    if (!response || response.output) return;
    response.output = true;
    // An attribute, not a span event: the time is all there is to say.
    response.attributes[Parley.firstOutputMs] = at() - response.at;
  }

  usage(e: Payload<"usage">): void {
    const response = this.#responses.get(e.responseId);
    const usage = e.usage;
    const input = usage?.input_tokens ?? 0;
    const output = usage?.output_tokens ?? 0;
    if (response) {
      const attributes = response.attributes;
      attributes[GenAi.inputTokens] = input;
      attributes[GenAi.outputTokens] = output;
      attributes[GenAi.cachedInputTokens] = usage?.input_token_details?.cached_tokens ?? 0;
      if (e.cost) attributes[Parley.costUsd] = e.cost.usd;
    }
    const shape = this.#shapeOf(response?.model ?? this.model());
    if (usage) {
      this.metrics.tokens.record(input, shape.input);
      this.metrics.tokens.record(output, shape.output);
    }
    if (e.cost) this.metrics.cost.add(e.cost.usd, shape.cost);
  }

  end(e: Payload<"response.done">, at: number): void {
    const response = this.#responses.get(e.responseId);
    if (!response) return;
    this.#responses.delete(e.responseId);
    const status = e.status ?? "unknown";
    const failed = status === "failed";
    response.attributes[GenAi.finishReasons] = [status];
    if (failed) response.attributes[GenAi.errorType] = "response_failed";
    this.#end(response, at, failed);
    this.metrics.responseDuration.record(
      (at - response.at) / 1000,
      this.#duration(this.#shapeOf(response.model), e.kind, status),
    );
  }

  /** The session ended: responses still open end now. */
  closeAll(at: number): void {
    for (const response of this.#responses.values()) {
      response.attributes[GenAi.finishReasons] = ["unfinished"];
      this.#end(response, at, false);
    }
    this.#responses.clear();
  }

  #open(response: Response): Span {
    const shape = this.#shapeOf(response.model);
    return this.clock.start(shape.name, response.at, response.parent, shape.creation, true);
  }

  #shapeOf(model: string): ModelShape {
    const base = this.labels();
    const last = this.#shape;
    if (last?.model === model && last.base === base) return last;
    let byModel = shapes.get(base);
    if (!byModel) {
      byModel = new Map();
      shapes.set(base, byModel);
    }
    let shape = byModel.get(model);
    if (!shape) {
      if (byModel.size >= MAX_MODELS) byModel.clear();
      shape = newShape(base, model);
      byModel.set(model, shape);
    }
    this.#shape = shape;
    return shape;
  }

  #duration(shape: ModelShape, kind: string, status: string): Attributes {
    let byStatus = shape.durations.get(kind);
    if (!byStatus) {
      byStatus = new Map();
      shape.durations.set(kind, byStatus);
    }
    let set = byStatus.get(status);
    if (!set) {
      set = Object.freeze(
        withAttributes(shape.base, {
          ...GEN_AI_CHAT,
          [GenAi.requestModel]: shape.model,
          [Parley.responseKind]: kind,
          [Parley.responseStatus]: status,
          ...(status === "failed" ? { [GenAi.errorType]: "response_failed" } : {}),
        }),
      );
      byStatus.set(status, set);
    }
    return set;
  }

  #end(response: Response, at: number, failed: boolean): void {
    const span = response.span ?? this.#open(response);
    // Only a recorded span is given them (a sampled-out one would drop them).
    if (span.isRecording()) span.setAttributes(response.attributes);
    if (failed) span.setStatus({ code: otel().SpanStatusCode.ERROR, message: "response failed" });
    span.end(this.clock.time(at));
  }
}

function newShape(base: Attributes, model: string): ModelShape {
  const set = (extra: Attributes) => Object.freeze(withAttributes(base, extra));
  return {
    model,
    base,
    name: `chat ${model}`,
    creation: Object.freeze({
      [GenAi.operationName]: "chat",
      [GenAi.providerName]: PROVIDER,
      [GenAi.system]: PROVIDER,
      [GenAi.requestModel]: model,
    }),
    // gen_ai.client.token.usage requires the operation and the provider beside the token type.
    input: set({ ...GEN_AI_CHAT, [GenAi.requestModel]: model, [GenAi.tokenType]: "input" }),
    output: set({ ...GEN_AI_CHAT, [GenAi.requestModel]: model, [GenAi.tokenType]: "output" }),
    cost: set({ [GenAi.requestModel]: model }),
    durations: new Map(),
  };
}
