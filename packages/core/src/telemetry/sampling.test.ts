// A sampler that drops the response spans: the session and turn spans are still exported, no response span is, and
// the responses are still measured (tokens, durations, cost): metrics do not depend on what the sampler keeps.
// A real call on the local server.
import { type Attributes, SpanKind } from "@opentelemetry/api";
import {
  AggregationTemporality,
  type Histogram as HistogramPoint,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type Sampler,
  SamplingDecision,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { acceptInMemory } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";
import { loadAgent } from "../load/index.ts";
import { startSession } from "../runtime/start-session.ts";
import { next } from "../runtime/test-support/harness.ts";
import { memoryTransportPair } from "../testing/index.ts";
import { collectingMeter } from "./metrics-test-support.ts";
import { Telemetry } from "./telemetry.ts";

const AGENT = new URL("../../test/fixtures/telemetry/desk.agent.yaml", import.meta.url).pathname;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Records every span but the responses' (client spans named `chat …`), and counts what it was asked. */
class NoResponses implements Sampler {
  asked = 0;
  shouldSample(
    _context: unknown,
    _traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
  ) {
    if (kind !== SpanKind.CLIENT || !name.startsWith("chat ")) {
      return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    }
    this.asked++;
    // What a sampler may read is there at creation.
    expect(attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-realtime",
    });
    return { decision: SamplingDecision.NOT_RECORD };
  }
  toString(): string {
    return "NoResponses";
  }
}

describe("telemetry under a sampler that drops the response spans", () => {
  it("exports the session and turns, no response span, and still measures every response", async () => {
    const exporter = new InMemorySpanExporter();
    const sampler = new NoResponses();
    const metrics = collectingMeter<HistogramPoint | number>(
      AggregationTemporality.CUMULATIVE,
      "sampling-test",
    );
    const telemetry = new Telemetry({
      tracerProvider: new BasicTracerProvider({
        sampler,
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      }),
      meterProvider: metrics.provider,
    });
    const { client, server } = memoryTransportPair();
    const peer = acceptInMemory(server, { pace: 0 });
    cleanup.push(() => peer.close());
    const session = await startSession({
      agent: await loadAgent(AGENT),
      transport: client,
      timeoutMs: 15_000,
      telemetry,
    });
    cleanup.push(() => session.close());
    let responses = 0;
    session.on("response.done", () => responses++);
    for (const text of ["Hello", "And again"]) {
      const idle = next(session, "idle", () => !session.busy);
      const answered = next(session, "agent.transcript.done", (e) => e.kind === "answer");
      session.sendText(text);
      await answered;
      await idle;
    }
    await session.close();

    const spans = exporter.getFinishedSpans();
    expect(spans.filter((s) => s.name === "invoke_agent desk")).toHaveLength(1);
    expect(spans.filter((s) => s.name === "turn")).toHaveLength(2);
    expect(spans.filter((s) => s.name.startsWith("chat "))).toHaveLength(0);
    expect(sampler.asked).toBe(responses);

    const collected = await metrics.collect();
    const values = (name: string) => Object.values(collected[name] ?? {});
    const count = (name: string) =>
      values(name).reduce((n: number, v) => n + (v as HistogramPoint).count, 0);
    expect(count("gen_ai.client.operation.duration")).toBe(responses);
    // Input and output, one record each per response.
    expect(count("gen_ai.client.token.usage")).toBe(2 * responses);
    expect(values("parley.cost")[0]).toBeGreaterThan(0);
  });
});
