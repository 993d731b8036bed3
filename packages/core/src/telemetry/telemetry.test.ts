import { type MeterProvider as MeterProviderApi, SpanStatusCode } from "@opentelemetry/api";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { acceptInMemory } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";
import { codeApprover } from "../approval/approvers/code.ts";
import { loadAgent } from "../load/index.ts";
import type { Session } from "../runtime/session.ts";
import { startSession } from "../runtime/start-session.ts";
import { next } from "../runtime/test-support/harness.ts";
import { memoryTransportPair } from "../testing/index.ts";
import { collectingMeter } from "./metrics-test-support.ts";
import { Telemetry } from "./telemetry.ts";

const fixture = (name: string) =>
  new URL(`../../test/fixtures/telemetry/${name}`, import.meta.url).pathname;

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A session of the desk agent on the local server, traced into memory; approvals wait for `approve()`. */
async function traced() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  cleanup.push(() => meterProvider.shutdown());
  const { client, server } = memoryTransportPair();
  const peer = acceptInMemory(server, { pace: 0 });
  cleanup.push(() => peer.close());
  // Each approval waits until the test decides: `asked()` resolves with the decision function once asked.
  const pending: Array<(approved: boolean) => void> = [];
  let wake: () => void = () => {};
  const asked = async (): Promise<(approved: boolean) => void> => {
    while (!pending.length) await new Promise<void>((resolve) => (wake = resolve));
    return pending.shift() as (approved: boolean) => void;
  };
  const session = await startSession({
    agent: await loadAgent(fixture("desk.agent.yaml")),
    transport: client,
    timeoutMs: 15_000,
    telemetry: new Telemetry({ tracerProvider, meterProvider }),
    scheduler: {
      approvers: [
        codeApprover(
          () =>
            new Promise<boolean>((resolve) => {
              pending.push(resolve);
              wake();
            }),
        ),
      ],
    },
  });
  cleanup.push(() => session.close());
  const spans = () => exporter.getFinishedSpans();
  const metrics = async () => {
    await reader.forceFlush();
    return (
      metricExporter
        .getMetrics()
        .at(-1)
        ?.scopeMetrics.flatMap((s) => s.metrics) ?? []
    );
  };
  return { session, spans, metrics, asked };
}

const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan | undefined) => span?.spanContext().spanId;

async function turn(session: Session, text: string, done: (t: string) => boolean) {
  const answered = next(
    session,
    "agent.transcript.done",
    (e) => e.kind === "answer" && done(e.transcript),
  );
  const idle = next(session, "idle");
  session.sendText(text);
  await answered;
  await idle;
}

describe("telemetry from the event stream", () => {
  it("traces a call as session → turn → response and tool call, with the approval wait, filler and outcome", async () => {
    const { session, spans, asked } = await traced();
    const idle = next(session, "idle", () => !session.busy);
    const answered = next(
      session,
      "agent.transcript.done",
      (e) => e.kind === "answer" && e.transcript.includes("confirmed"),
    );
    const filler = next(session, "agent.transcript.done", (e) => e.kind === "filler");
    session.sendText('/call lookup {"reference":"AB12"}');
    const decide = await asked();
    // The approval filler is said while the decision waits: the turn's first audio is a filler.
    await filler;
    decide(true);
    await answered;
    await idle;
    await session.close();

    const all = spans();
    const [root] = named(all, "invoke_agent desk");
    expect(root).toBeDefined();
    expect(parentOf(root as ReadableSpan)).toBeUndefined();
    expect(root?.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.provider.name": "openai",
      "gen_ai.agent.name": "desk",
      "gen_ai.request.model": "gpt-realtime",
      "parley.session.close_reason": "closed",
      "parley.session.turns": 1,
    });
    expect(String(root?.attributes["gen_ai.conversation.id"])).toMatch(/^sess_/);

    const turns = named(all, "turn");
    expect(turns).toHaveLength(1);
    const theTurn = turns[0] as ReadableSpan;
    expect(parentOf(theTurn)).toBe(idOf(root));
    // The first thing said was a filler (while approval, then the tool, were pending), then the real answer.
    expect(theTurn.attributes["parley.turn.filler_first"]).toBe(true);
    const firstAudio = Number(theTurn.attributes["parley.turn.first_audio_ms"]);
    const firstAnswer = Number(theTurn.attributes["parley.turn.first_answer_ms"]);
    expect(firstAudio).toBeGreaterThan(0);
    expect(firstAnswer).toBeGreaterThan(firstAudio);
    expect(theTurn.events.map((e) => e.name)).toEqual(["first_audio", "first_answer"]);

    const responses = named(all, "chat gpt-realtime");
    expect(responses.map((r) => r.attributes["parley.response.kind"])).toEqual(
      expect.arrayContaining(["filler", "answer"]),
    );
    for (const r of responses) {
      expect(parentOf(r)).toBe(idOf(theTurn));
      expect(r.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
      expect(r.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
      expect(r.attributes["parley.cost_usd"]).toBeGreaterThan(0);
      expect(r.attributes["gen_ai.response.finish_reasons"]).toEqual(["completed"]);
      expect(String(r.attributes["gen_ai.response.id"])).toMatch(/^resp_/);
    }
    // Time to first output on those that said something (the filler, the answer; not the tool call's response).
    const spoke = responses.filter(
      (r) => r.attributes["parley.response.first_output_ms"] !== undefined,
    );
    expect(spoke.map((r) => r.attributes["parley.response.kind"])).toEqual(
      expect.arrayContaining(["filler", "answer"]),
    );
    for (const r of spoke)
      expect(r.attributes["parley.response.first_output_ms"]).toBeGreaterThanOrEqual(0);
    // One span per response (each is made once, at its end).
    const ids = responses.map((r) => r.attributes["gen_ai.response.id"]);
    expect(new Set(ids).size).toBe(ids.length);

    const [tool] = named(all, "execute_tool lookup");
    expect(parentOf(tool as ReadableSpan)).toBe(idOf(theTurn));
    expect(tool?.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "lookup",
      "gen_ai.tool.type": "function",
      "parley.tool.outcome": "completed",
      "parley.approval.approved": true,
      "parley.approval.approver": "code",
    });
    expect(String(tool?.attributes["gen_ai.tool.call.id"])).toMatch(/^call_/);
    // Content stays off the span unless asked for.
    expect(tool?.attributes).not.toHaveProperty("gen_ai.tool.call.arguments");
    const phases = all.filter((s) => parentOf(s) === idOf(tool));
    expect(phases.map((s) => s.name)).toEqual(["tool.approval_wait", "tool.run"]);
    const wait = phases[0] as ReadableSpan;
    expect(wait.events.map((e) => e.name)).toEqual(
      expect.arrayContaining(["approval.requested", "approval.decided"]),
    );
    expect(Number(tool?.attributes["parley.tool.run_ms"])).toBeGreaterThanOrEqual(140);
    expect(tool?.attributes["parley.tool.approval_ms"]).toBeGreaterThanOrEqual(0);
    // Every span ended inside its parent.
    const byId = new Map(all.map((s) => [idOf(s), s]));
    for (const s of all) {
      const parent = byId.get(parentOf(s));
      if (!parent) continue;
      expect(toMs(s.startTime)).toBeGreaterThanOrEqual(toMs(parent.startTime) - 0.001);
      expect(toMs(s.endTime)).toBeLessThanOrEqual(toMs(parent.endTime) + 0.001);
    }
  });

  it("marks a failed tool call and a refused one, and counts them by outcome", async () => {
    const { session, spans, metrics, asked } = await traced();
    await turn(session, "/call broken {}", () => true);
    const idle = next(session, "idle", () => !session.busy);
    session.sendText('/call lookup {"reference":"ZZ99"}');
    (await asked())(false);
    await idle;

    const [broken] = named(spans(), "execute_tool broken");
    expect(broken?.status.code).toBe(SpanStatusCode.ERROR);
    expect(broken?.attributes).toMatchObject({
      "parley.tool.outcome": "failed",
      "error.type": "failed",
    });
    const [refused] = named(spans(), "execute_tool lookup");
    expect(refused?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(refused?.attributes).toMatchObject({
      "parley.tool.outcome": "rejected",
      "parley.approval.approved": false,
    });

    const calls = (await metrics()).find((m) => m.descriptor.name === "parley.tool.calls");
    const byOutcome = Object.fromEntries(
      (calls?.dataPoints ?? []).map((p) => [
        `${p.attributes["gen_ai.tool.name"]}:${p.attributes["parley.tool.outcome"]}`,
        p.value,
      ]),
    );
    expect(byOutcome).toEqual({ "broken:failed": 1, "lookup:rejected": 1 });
    expect(named(spans(), "turn")).toHaveLength(2);
  });

  it("records active sessions, turns, latency, tokens and cost as metrics", async () => {
    const { session, metrics } = await traced();
    await turn(session, "Hello", () => true);
    await turn(session, "And again", () => true);
    const open = await metrics();
    const get = (name: string) => open.find((m) => m.descriptor.name === name);
    expect(get("parley.sessions.active")?.dataPoints[0]?.value).toBe(1);
    expect(get("parley.turns")?.dataPoints[0]?.value).toBe(2);
    const latency = get("parley.turn.first_answer")?.dataPoints[0]?.value as {
      count: number;
      sum: number;
    };
    expect(latency.count).toBe(2);
    expect(latency.sum).toBeGreaterThan(0);
    expect(get("parley.cost")?.dataPoints[0]?.value).toBeGreaterThan(0);
    const tokens = get("gen_ai.client.token.usage")?.dataPoints ?? [];
    expect(tokens.map((p) => p.attributes["gen_ai.token.type"]).sort()).toEqual([
      "input",
      "output",
    ]);
    // What the GenAI convention requires on every token record.
    for (const point of tokens)
      expect(point.attributes).toMatchObject({
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-realtime",
      });
    // Responses are counted by the duration histogram, by kind and status.
    const durations = get("gen_ai.client.operation.duration")?.dataPoints ?? [];
    const answers = durations.find(
      (p) =>
        p.attributes["parley.response.kind"] === "answer" &&
        p.attributes["parley.response.status"] === "completed",
    );
    expect((answers?.value as { count: number } | undefined)?.count).toBe(2);
    expect(answers?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-realtime",
    });
    await session.close();
    const closed = await metrics();
    expect(
      closed.find((m) => m.descriptor.name === "parley.sessions.active")?.dataPoints[0]?.value,
    ).toBe(0);
    const ended = closed.find((m) => m.descriptor.name === "parley.sessions")?.dataPoints[0];
    expect(ended?.attributes).toMatchObject({
      "parley.agent": "desk",
      "parley.session.close_reason": "closed",
    });
  });
});

describe("histogram records held in a batch", () => {
  it("reach a meter whose batch callbacks never run, at the session's close", async () => {
    const { provider: sdk, collect } = collectingMeter<{ count: number }>(
      AggregationTemporality.CUMULATIVE,
      "batch-test",
    );
    // A meter that is not the SDK's: it takes batch callbacks and never calls them.
    const meterProvider: MeterProviderApi = {
      getMeter: (name) => {
        const meter = sdk.getMeter(name);
        return new Proxy(meter, {
          get: (target, key) =>
            key === "addBatchObservableCallback"
              ? () => {}
              : Reflect.get(target, key, target).bind(target),
        });
      },
    };
    const { client, server } = memoryTransportPair();
    const peer = acceptInMemory(server, { pace: 0 });
    cleanup.push(() => peer.close());
    const session = await startSession({
      agent: await loadAgent(fixture("desk.agent.yaml")),
      transport: client,
      timeoutMs: 15_000,
      telemetry: new Telemetry({ meterProvider }),
    });
    cleanup.push(() => session.close());
    await turn(session, "Hello", () => true);
    await turn(session, "And again", () => true);
    await session.close();
    const tokens = (await collect())["gen_ai.client.token.usage"] ?? {};
    // Two answers: two records of each token type, the second of each held until the close.
    expect(Object.values(tokens).map((p) => p.count)).toEqual([2, 2]);
  });
});

describe("telemetry's counters", () => {
  it("report what the session did: turns, tool calls by outcome, cost, errors, sessions", async () => {
    const { session, metrics, asked } = await traced();
    // What happened, from the session's own events, beside what the counters report.
    let cost = 0;
    let latencies = 0;
    const outcomes: Record<string, number> = {};
    const errors: Record<string, number> = {};
    session.on("usage", (e) => {
      if (e.cost) cost += e.cost.usd;
    });
    session.on("latency", () => latencies++);
    session.on("tool.output", (e) => {
      const key = `${e.tool}:${e.state}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    });
    session.on("error", (e) => {
      const key = String(e.error.code ?? e.error.name);
      errors[key] = (errors[key] ?? 0) + 1;
    });
    await turn(session, "/call broken {}", () => true);
    const idle = next(session, "idle", () => !session.busy);
    session.sendText('/call lookup {"reference":"AB12"}');
    (await asked())(true);
    await idle;
    await turn(session, "Thanks", () => true);

    const open = await metrics();
    const points = (name: string, key: (a: Record<string, unknown>) => string) =>
      Object.fromEntries(
        (open.find((m) => m.descriptor.name === name)?.dataPoints ?? []).map((p) => [
          key(p.attributes),
          p.value,
        ]),
      );
    const agent = (a: Record<string, unknown>) => String(a["parley.agent"]);
    expect(outcomes).toEqual({ "broken:failed": 1, "lookup:completed": 1 });
    expect(
      points("parley.tool.calls", (a) => `${a["gen_ai.tool.name"]}:${a["parley.tool.outcome"]}`),
    ).toEqual(outcomes);
    expect(latencies).toBeGreaterThanOrEqual(3);
    expect(points("parley.turns", agent)).toEqual({ desk: latencies });
    expect(cost).toBeGreaterThan(0);
    expect(points("parley.cost", (a) => `${agent(a)}:${a["gen_ai.request.model"]}`)).toEqual({
      "desk:gpt-realtime": cost,
    });
    expect(points("parley.errors", (a) => String(a["error.type"]))).toEqual(errors);
    expect(points("parley.sessions.active", agent)).toEqual({ desk: 1 });

    await session.close();
    const closed = await metrics();
    const after = (name: string) =>
      closed
        .find((m) => m.descriptor.name === name)
        ?.dataPoints.map((p) => [p.attributes, p.value]);
    expect(after("parley.sessions.active")).toEqual([[{ "parley.agent": "desk" }, 0]]);
    expect(after("parley.sessions")).toEqual([
      [{ "parley.agent": "desk", "parley.session.close_reason": "closed" }, 1],
    ]);
  });
});

describe("telemetry's counters over one meter provider", () => {
  it("add up across Telemetry objects (one set of instruments per provider, not one callback each)", async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    cleanup.push(() => meterProvider.shutdown());
    // Two sessions' event streams, each observed through its own Telemetry (as `agent serve` and an app may do).
    for (const sessionId of ["sess_a", "sess_b"]) {
      const listener = new Telemetry({ meterProvider }).observe();
      listener({
        type: "latency",
        at: 10,
        sessionId,
        seq: 1,
        turn: 1,
        firstAudioMs: 300,
        firstAnswerMs: 300,
      });
    }
    await reader.forceFlush();
    const metrics =
      exporter
        .getMetrics()
        .at(-1)
        ?.scopeMetrics.flatMap((s) => s.metrics) ?? [];
    const value = (name: string) =>
      metrics.find((m) => m.descriptor.name === name)?.dataPoints.map((p) => p.value);
    expect(value("parley.turns")).toEqual([2]);
    expect(value("parley.sessions.active")).toEqual([2]);
  });
});

function toMs([s, ns]: [number, number]): number {
  return s * 1000 + ns / 1e6;
}
