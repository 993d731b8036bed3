// Telemetry derived from the serialisable event stream (`telemetry.observe`: a log read back, another process) gives
// the same session → turn → response spans as `startSession({ telemetry })`, from protocol events instead of the
// runtime's typed ones.
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { acceptInMemory } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";
import { loadAgent } from "../load/index.ts";
import { startSession } from "../runtime/start-session.ts";
import { next } from "../runtime/test-support/harness.ts";
import { memoryTransportPair } from "../testing/index.ts";
import { Telemetry } from "./telemetry.ts";

const AGENT = new URL("../../test/fixtures/telemetry/desk.agent.yaml", import.meta.url).pathname;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe("telemetry from the serialisable event stream", () => {
  it("traces the session, each turn and each response with its tokens and first output", async () => {
    const exporter = new InMemorySpanExporter();
    const telemetry = new Telemetry({
      tracerProvider: new BasicTracerProvider({
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      }),
    });
    const agent = await loadAgent(AGENT);
    const { client, server } = memoryTransportPair();
    const peer = acceptInMemory(server, { pace: 0 });
    cleanup.push(() => peer.close());
    const session = await startSession({
      agent,
      transport: client,
      timeoutMs: 15_000,
      onEvent: telemetry.observe(() => agent),
    });
    cleanup.push(() => session.close());
    for (const text of ["Hello", "And again"]) {
      const idle = next(session, "idle", () => !session.busy);
      const answered = next(session, "agent.transcript.done", (e) => e.kind === "answer");
      session.sendText(text);
      await answered;
      await idle;
    }
    await session.close();

    const spans = exporter.getFinishedSpans();
    const idOf = (s: ReadableSpan | undefined) => s?.spanContext().spanId;
    const [root] = spans.filter((s) => s.name === "invoke_agent desk");
    expect(root?.attributes["parley.session.turns"]).toBe(2);
    const turns = spans.filter((s) => s.name === "turn");
    expect(turns.map((t) => t.attributes["parley.turn.number"])).toEqual([1, 2]);
    const responses = spans.filter((s) => s.name === "chat gpt-realtime");
    const answers = responses.filter((r) => r.attributes["parley.response.kind"] === "answer");
    expect(answers).toHaveLength(2);
    answers.forEach((r, i) => {
      expect(r.parentSpanContext?.spanId).toBe(idOf(turns[i]));
      expect(r.attributes["gen_ai.response.finish_reasons"]).toEqual(["completed"]);
      expect(r.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
      expect(r.attributes["parley.response.first_output_ms"]).toBeGreaterThanOrEqual(0);
    });
  });
});
