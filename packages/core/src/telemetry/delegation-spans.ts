import type { Attributes, Span } from "@opentelemetry/api";
import type { StreamEvent } from "../runtime/event-stream.ts";
import { GEN_AI_CHAT, GenAi, Parley, withAttributes } from "./attributes.ts";
import type { Instruments } from "./instruments.ts";
import { otel } from "./otel.ts";
import type { SpanClock } from "./span-clock.ts";

type Of<T extends StreamEvent["type"]> = Extract<StreamEvent, { type: T }>;

/**
 * What a delegate tool's text model did, under the call's `invoke_agent {tool}` span: one `chat {model}` span per
 * Responses request (`delegation.step`: tokens, cost, the tools it asked for) and the delegation's end on the call
 * (`delegation.done`). An async delegation answers after its call's output: its steps and end then go under an
 * `invoke_agent {tool}` span of its own, in the turn or session where they happen.
 */
export class DelegationSpans {
  readonly #late = new Map<string, Span>();

  constructor(
    private readonly clock: SpanClock,
    private readonly metrics: Instruments,
    private readonly labels: () => Attributes,
    /** The open call span of a call id (a sync delegation, or an async one before its output). */
    private readonly callSpan: (callId: string) => Span | undefined,
  ) {}

  step(e: Of<"delegation.step">, parent: Span | undefined): void {
    const under = this.#under(e.callId, e.tool, e.at - e.ms, parent);
    const span = this.clock.start(
      `chat ${e.model}`,
      e.at - e.ms,
      under,
      {
        [GenAi.operationName]: "chat",
        [GenAi.providerName]: "openai",
        [GenAi.requestModel]: e.model,
        [GenAi.inputTokens]: e.tokens.input,
        [GenAi.outputTokens]: e.tokens.output,
        [GenAi.cachedInputTokens]: e.tokens.cached,
        "parley.delegation.step": e.step,
        "parley.delegation.calls": e.calls,
        ...(e.costUsd !== undefined ? { [Parley.costUsd]: e.costUsd } : {}),
      },
      true,
    );
    span.end(this.clock.time(e.at));
    const labels = withAttributes(this.labels(), { [GenAi.requestModel]: e.model });
    const tokens = withAttributes(labels, GEN_AI_CHAT);
    this.metrics.tokens.record(
      e.tokens.input,
      withAttributes(tokens, { [GenAi.tokenType]: "input" }),
    );
    this.metrics.tokens.record(
      e.tokens.output,
      withAttributes(tokens, { [GenAi.tokenType]: "output" }),
    );
    if (e.costUsd !== undefined) this.metrics.cost.add(e.costUsd, labels);
  }

  done(e: Of<"delegation.done">, parent: Span | undefined): void {
    const span = this.#under(e.callId, e.tool, e.at - e.ms, parent);
    span.setAttributes({
      "parley.delegation.state": e.state,
      "parley.delegation.mode": e.mode,
      "parley.delegation.steps": e.steps,
      "parley.delegation.model_ms": e.modelMs,
    });
    if (e.state === "failed" || e.state === "timed_out") {
      span.setAttribute(GenAi.errorType, e.state);
      span.setStatus({ code: otel().SpanStatusCode.ERROR, message: e.state });
    }
    const late = this.#late.get(e.callId);
    if (late) {
      this.#late.delete(e.callId);
      late.end(this.clock.time(e.at));
    }
  }

  closeAll(at: number): void {
    for (const span of this.#late.values()) span.end(this.clock.time(at));
    this.#late.clear();
  }

  /** The span a delegation's events go under: its call's, else (answered after the call's output) its own. */
  #under(callId: string, tool: string, startAt: number, parent: Span | undefined): Span {
    const open = this.callSpan(callId) ?? this.#late.get(callId);
    if (open) return open;
    const span = this.clock.start(`invoke_agent ${tool}`, startAt, parent, {
      [GenAi.operationName]: "invoke_agent",
      [GenAi.agentName]: tool,
      [GenAi.toolCallId]: callId,
      "parley.delegation.mode": "async",
    });
    this.#late.set(callId, span);
    return span;
  }
}
