// Overhead of traces and metrics: the same recorded server frames (real turns from the local server) replayed into
// one Session, plain and with `telemetry` (an OpenTelemetry SDK recording every span and metric, set up as
// docs/observability.md tells a user to run it in production: a BatchSpanProcessor, the default sampler, a periodic
// metric reader; spans and metrics dropped by no-op exporters, so what is measured is Parley's work plus the SDK's,
// not an exporter's network), the modes taking turns on it in blocks of rounds so drift and GC land on all of them.
// Target: under 10 % extra CPU per event with tracing on, measured live (the same frames from a child process over a
// loopback WebSocket, bench/live-replay.ts); the in-memory figures are the runtime alone. Also shown: the breakdown
// (spans only, metrics only, no SDK), the floor (the same SDK calls made straight from the session's events, no
// Parley code: what the SDK itself costs for what is recorded), the event stream alone (a listener that does
// nothing) and telemetry derived from it, and the heap a traced session keeps after its rounds.

import { loadavg } from "node:os";
import type { ObservableResult } from "@opentelemetry/api";
import * as otel from "@opentelemetry/api";
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { cpuMs, figure, interval, settledMemory, verdict } from "../../../bench/verdict.ts";
import { systemClock } from "../src/clock/index.ts";
import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import type { SessionEvents } from "../src/runtime/events.ts";
import type { Session } from "../src/runtime/session.ts";
import { Telemetry } from "../src/telemetry/index.ts";
import { freshEventIds } from "./fresh-event-ids.ts";
import { LIVE_INTERVAL, liveServer } from "./live-replay.ts";
import { BLOCK, type Mode, PARTS, partSpread, rotation, SKIP, WARMUP_CYCLES } from "./rotation.ts";
import {
  liveSession,
  type MemorySocket,
  recordTurns,
  replaySession,
  THREE_TURNS,
} from "./runtime-support.ts";

const agent = await loadAgent(
  new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname,
);
const update = compileSession(agent);
// New event ids each round, as a call's are (bench/fresh-event-ids.ts; the live sender does the same to its copy).
const frames = await recordTurns(update, THREE_TURNS);
const nextIds = freshEventIds(frames);

/** Counts what it is given and keeps nothing: the cost of an exporter's network is not Parley's. */
class DroppingExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    this.spans += spans.length;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}
/** The same for metrics. */
const droppingMetrics: PushMetricExporter = {
  export: (_metrics, done) => done({ code: 0 }),
  forceFlush: async () => {},
  shutdown: async () => {},
};
/**
 * The reader docs/observability.md gives: periodic export at its default interval (60 s, so no export falls in the
 * timed rounds; histogram records are handed to the SDK in batches within them either way, see RecordBatch).
 */
const periodicReader = () => new PeriodicExportingMetricReader({ exporter: droppingMetrics });

const exporter = new DroppingExporter();
// Batched with its defaults, as in production (a SimpleSpanProcessor exports each span as it ends: for tests and
// debugging); the provider's default sampler (parent-based, always on: every span recorded). Its exports run on its
// own timer or at 512 spans, in whichever round is being measured then: with a dropping exporter, a few calls.
const spanProcessor = new BatchSpanProcessor(exporter);
const telemetry = new Telemetry({
  tracerProvider: new BasicTracerProvider({ spanProcessors: [spanProcessor] }),
  meterProvider: new MeterProvider({ readers: [periodicReader()] }),
});

// The system clock, as a served session has: spans and histograms get real times and durations (a virtual clock's
// constant times made every duration 0).
const clock = systemClock;
function listenedSession(): { session: Session; socket: MemorySocket } {
  const { session, socket } = replaySession(update, { agent, clock });
  // What an app listens to: audio to play, transcripts to show, usage.
  session.on("agent.audio", () => {});
  session.on("agent.transcript.delta", () => {});
  session.on("usage", () => {});
  return { session, socket };
}

// The breakdown: spans alone (no meter provider: the API's no-ops), metrics alone, and neither (no SDK at all).
const spansTelemetry = new Telemetry({ tracerProvider: telemetry.tracerProvider });
const metricsTelemetry = new Telemetry({ meterProvider: telemetry.meterProvider });
const noSdkTelemetry = new Telemetry();
// The floor: what the SDK alone costs for what Parley records per response (one span created with the attributes the
// conventions want at creation and given the rest in one call, two token records, a duration record, the cost added
// to a total an observable counter reports), called straight from the session's events, no Parley code in between.
// Providers of the floor's own, set up as the traced session's (its spans are not counted below).
const floorTracer = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(new DroppingExporter())],
}).getTracer("floor");
const floorMeter = new MeterProvider({ readers: [periodicReader()] }).getMeter("floor");
const floorTokens = floorMeter.createHistogram("floor.tokens");
const floorDuration = floorMeter.createHistogram("floor.duration");
const floorCost = floorMeter.createObservableCounter("floor.cost");

/** Telemetry attached as startSession({ telemetry }) does (from the session's typed events). */
const attached =
  (t: Telemetry): Mode =>
  (s) =>
    Object.assign(t.attach(s, clock), { settle: () => t.flushRecords() });

/**
 * One in-memory round: every recorded frame into the session's socket, then a turn of the event loop, counted in its
 * CPU: live, every frame is its own task, so what a frame queues (microtasks, an SDK's export callbacks) runs before
 * the next.
 */
function memoryRound(socket: MemorySocket): () => Promise<number> {
  return async () => {
    nextIds();
    const t0 = cpuMs();
    for (const frame of frames) socket.emit("message", frame, false);
    await new Promise((resolve) => setImmediate(resolve));
    return cpuMs() - t0;
  };
}

/** The floor's SDK calls, straight from the session's events; returns what removes them. */
function sdkCallsOnly(session: Session): () => void {
  const tracer = floorTracer;
  const tokens = floorTokens;
  const duration = floorDuration;
  const labels = (extra: Record<string, string>) => ({ "parley.agent": agent.name, ...extra });
  const model = { "gen_ai.request.model": update.session.model ?? "gpt-realtime" };
  // The attribute sets Parley records with (the GenAI metric conventions require the operation and the provider on
  // every record): the SDK hashes each record's set, so a set with fewer keys would make the floor cheaper than it is.
  const chat = { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai" };
  const [input, output] = [
    labels({ ...chat, ...model, "gen_ai.token.type": "input" }),
    labels({ ...chat, ...model, "gen_ai.token.type": "output" }),
  ];
  const costLabels = labels(model);
  let cost = 0;
  const observeCost = (r: ObservableResult) => r.observe(cost, costLabels);
  floorCost.addCallback(observeCost);
  const creation = {
    ...model,
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.system": "openai",
  };
  const parentSpan = tracer.startSpan("session");
  const parent = otel.trace.setSpan(otel.context.active(), parentSpan);
  const started = new Map<string, number>();
  const durationLabels = new Map<string, Record<string, string>>();
  const onStarted = (e: { responseId: string }) => void started.set(e.responseId, clock.now());
  const onUsage = (e: Parameters<SessionEvents["usage"]>[0]) => {
    tokens.record(e.usage?.input_tokens ?? 0, input);
    tokens.record(e.usage?.output_tokens ?? 0, output);
    if (e.cost) cost += e.cost.usd;
  };
  const onDone = (e: Parameters<SessionEvents["response.done"]>[0]) => {
    const at = started.get(e.responseId) ?? clock.now();
    started.delete(e.responseId);
    const attributes = {
      "gen_ai.response.id": e.responseId,
      "parley.response.kind": e.kind,
      "parley.response.origin": e.origin,
      "parley.response.out_of_band": false,
      "parley.response.first_output_ms": 1,
      "gen_ai.usage.input_tokens": 1,
      "gen_ai.usage.output_tokens": 1,
      "gen_ai.usage.cache_read.input_tokens": 0,
      "parley.cost_usd": e.costUsd ?? 0,
      "gen_ai.response.finish_reasons": [e.status ?? "unknown"],
    };
    const span = tracer.startSpan(
      `chat ${model["gen_ai.request.model"]}`,
      { startTime: at, attributes: creation, kind: otel.SpanKind.CLIENT },
      parent,
    );
    span.setAttributes(attributes);
    span.end(clock.now());
    const key = `${e.kind}/${e.status}`;
    let byKind = durationLabels.get(key);
    if (!byKind) {
      byKind = labels({
        ...chat,
        ...model,
        "parley.response.kind": e.kind,
        "parley.response.status": e.status ?? "unknown",
      });
      durationLabels.set(key, byKind);
    }
    duration.record((clock.now() - at) / 1000, byKind);
  };
  session.on("response.started", onStarted);
  session.on("usage", onUsage);
  session.on("response.done", onDone);
  return () => {
    session.off("response.started", onStarted);
    session.off("usage", onUsage);
    session.off("response.done", onDone);
    floorCost.removeCallback(observeCost);
    parentSpan.end();
  };
}

// In memory (the runtime alone): one session, every mode taking turns on it as in the live part below (separate
// sessions, even identical ones, differed by 6–26 % per event).
const rounds = Number(process.env.PARLEY_BENCH_ROUNDS ?? 300);
/** Off, on, spans only, metrics only, no SDK, the floor: the modes both parts measure, in this order. */
const sdkModes: Mode[] = [
  () => () => {},
  attached(telemetry),
  attached(spansTelemetry),
  attached(metricsTelemetry),
  attached(noSdkTelemetry),
  sdkCallsOnly,
];
const memory = listenedSession();
const inMemory = await rotation(
  memory.session,
  memoryRound(memory.socket),
  [
    ...sdkModes,
    // For reference: the event stream alone, and telemetry derived from it (a log replayed, another process).
    (s) => s.onEvent(() => {}),
    (s) =>
      Object.assign(s.onEvent(telemetry.observe(() => agent)), {
        settle: () => telemetry.flushRecords(),
      }),
  ],
  rounds,
  frames.length,
);
const [off, on, spans, meters, none, floor, stream, onStream] = inMemory.perFrame as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

interval(
  `${frames.length} recorded server frames × ${rounds} counted rounds per mode, CPU (user + system) per frame, one in-memory session whose eight modes take turns in blocks of ${BLOCK} rounds (the first ${SKIP} of each not counted; the histogram records a mode batched in its counted rounds handed to the SDK within them) after ${WARMUP_CYCLES} uncounted blocks of each; SDK as in production: BatchSpanProcessor and sampler at their defaults, PeriodicExportingMetricReader (60 s), exporters that drop`,
);
figure("telemetry per-event CPU, tracing off", off, "µs");
figure("telemetry per-event CPU, tracing and metrics on", on, "µs");
figure("telemetry per-event CPU, spans only (no meter provider)", spans, "µs");
figure("telemetry per-event CPU, metrics only (no tracer provider)", meters, "µs");
figure("telemetry per-event CPU, no OpenTelemetry SDK registered", none, "µs");
figure("telemetry per-event CPU, the same SDK calls without Parley (floor)", floor, "µs");
figure("telemetry per-event CPU, event stream only (no-op listener)", stream, "µs");
figure("telemetry per-event CPU, tracing from the event stream", onStream, "µs");
await spanProcessor.forceFlush();
figure("telemetry spans exported", exporter.spans, "spans");
figure(
  "telemetry extra per-event CPU, runtime only (in-memory socket, no transport), tracing on vs off",
  ((on - off) / off) * 100,
  "%",
);

// Memory: what telemetry keeps for a session once its rounds are over (every span ended and dropped, metrics
// aggregated): the heap freed when it lets the session go. A span kept per response would be megabytes here.
const traced = listenedSession();
const detachTraced = telemetry.attach(traced.session, clock);
const tracedRound = memoryRound(traced.socket);
for (let r = 0; r < rounds; r++) await tracedRound();
const kept = settledMemory();
detachTraced();
const released = settledMemory();
verdict(
  "telemetry heap kept for a session after its turns",
  Math.max(0, kept - released) / 1024,
  "KB",
  {
    max: 256,
  },
);

// Live (the target): the same frames from a ws server in a child process over a loopback socket into a Session on
// the real ws transport; what a process serving a session pays per event. One session and one socket serve every
// mode, each attached for a block of rounds and removed after it (outside the timed window): separate sessions, even
// identical ones, differed by 6–26 % per event, more than the margin. In a block the first rounds are not counted,
// so garbage a mode leaves is collected in its own rounds, not the next mode's. Two rotations: the verdict's pair
// (off, on) alone, after a warm-up, with enough rounds to hold still; then every mode (the breakdown and the floor)
// for the reference figures.
const sender = await liveServer(frames);
const live = await sender.connect();
const liveOne = liveSession(live.socket, update, { agent, clock });
liveOne.on("agent.audio", () => {});
liveOne.on("agent.transcript.delta", () => {});
liveOne.on("usage", () => {});
// 3,000 counted rounds per mode for the verdict (~12 s with the warm-up): at 1,200 in a rotation of six modes the
// verdict moved by 7–13 % from run to run.
const liveRounds = Number(process.env.PARLEY_BENCH_LIVE_ROUNDS ?? 3000);
const pair = await rotation(
  liveOne,
  () => live.round(),
  [() => () => {}, attached(telemetry)],
  liveRounds,
  frames.length,
  PARTS,
);
const [liveOff, liveOn] = pair.perFrame as [number, number];
const referenceRounds = Math.ceil(liveRounds / 5);
const breakdown = await rotation(
  liveOne,
  () => live.round(),
  sdkModes,
  referenceRounds,
  frames.length,
);
const [refOff, refOn, liveSpans, liveMeters, liveNone, liveFloor] = breakdown.perFrame as [
  number,
  number,
  number,
  number,
  number,
  number,
];
await sender.stop();
const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(" ");
interval(
  `${LIVE_INTERVAL}; one session whose modes take turns in blocks of ${BLOCK} rounds (the first ${SKIP} of each not counted; attaching and removing a mode is outside the timed rounds, handing over the histogram records batched in its counted rounds inside them) after ${WARMUP_CYCLES} uncounted blocks of each; the verdict's pair (off, on) alone: ${frames.length} frames × ${liveRounds} counted rounds each, its ratio also given for each tenth of the run; then all six modes (off, on, spans only, metrics only, no SDK, the floor), ${referenceRounds} counted rounds each; load average ${load}`,
);
figure("telemetry live per-event CPU, tracing off", liveOff, "µs");
figure("telemetry live per-event CPU, tracing and metrics on", liveOn, "µs");
partSpread("telemetry extra per-event CPU, live", pair);
figure("telemetry live per-event CPU, all six modes: tracing off", refOff, "µs");
figure("telemetry live per-event CPU, all six modes: tracing and metrics on", refOn, "µs");
figure("telemetry live per-event CPU, spans only (no meter provider)", liveSpans, "µs");
figure("telemetry live per-event CPU, metrics only (no tracer provider)", liveMeters, "µs");
figure("telemetry live per-event CPU, no OpenTelemetry SDK registered", liveNone, "µs");
figure("telemetry live per-event CPU, the same SDK calls without Parley (floor)", liveFloor, "µs");
figure(
  "telemetry extra per-event CPU, live, the floor vs off (what the SDK alone costs)",
  ((liveFloor - refOff) / refOff) * 100,
  "%",
);
figure(
  "telemetry extra per-event CPU, live, on vs off in the six-mode rotation",
  ((refOn - refOff) / refOff) * 100,
  "%",
);
verdict(
  "telemetry extra per-event CPU, live session over a loopback socket, tracing on vs off",
  ((liveOn - liveOff) / liveOff) * 100,
  "%",
  { max: 10 },
);
process.exit(0);
