// Histogram records handed to the SDK in batches export what records made one by one export: every collection
// takes what is held first, and no more than RECORD_BATCH are ever held. Through the real SDK.
import {
  AggregationTemporality,
  type Histogram as HistogramPoint,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import { Instruments } from "./instruments.ts";
import { RECORD_BATCH } from "./record-batch.ts";

const providers: MeterProvider[] = [];
afterEach(async () => {
  for (const p of providers.splice(0)) await p.shutdown();
});

function setUp(temporality: AggregationTemporality) {
  const exporter = new InMemoryMetricExporter(temporality);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  providers.push(provider);
  const meter = provider.getMeter("record-batch-test");
  const instruments = new Instruments(meter);
  // The same records made one by one, as a reference.
  const direct = meter.createHistogram("direct.tokens", {
    advice: { explicitBucketBoundaries: [16, 64, 256, 1024, 4096, 16384, 65536] },
  });
  /** Each histogram's points at a collection: `metric → attributes → point`. */
  const collect = async () => {
    await reader.forceFlush();
    const metrics = exporter.getMetrics().at(-1)?.scopeMetrics[0]?.metrics ?? [];
    exporter.reset();
    return Object.fromEntries(
      metrics.map((m) => [
        m.descriptor.name,
        Object.fromEntries(
          m.dataPoints.map((p) => [JSON.stringify(p.attributes), p.value as HistogramPoint]),
        ),
      ]),
    );
  };
  const record = (value: number, attributes: Record<string, string>) => {
    instruments.tokens.record(value, attributes);
    direct.record(value, attributes);
  };
  return { instruments, collect, record };
}

const input = Object.freeze({ "gen_ai.token.type": "input" });
const output = Object.freeze({ "gen_ai.token.type": "output" });

describe("batched histogram records", () => {
  it("are all in the next collection, as records made one by one would be (cumulative)", async () => {
    const { instruments, collect, record } = setUp(AggregationTemporality.CUMULATIVE);
    record(12, input);
    record(300, output);
    record(70, input);
    expect(instruments.batch.size).toBe(3);
    const first = await collect();
    expect(instruments.batch.size).toBe(0);
    expect(first["gen_ai.client.token.usage"]).toEqual(first["direct.tokens"]);
    expect(first["gen_ai.client.token.usage"]?.[JSON.stringify(input)]).toMatchObject({
      count: 2,
      sum: 82,
      min: 12,
      max: 70,
    });
    record(5000, output);
    const second = await collect();
    expect(second["gen_ai.client.token.usage"]).toEqual(second["direct.tokens"]);
    expect(second["gen_ai.client.token.usage"]?.[JSON.stringify(output)]?.count).toBe(2);
  });

  it("give a delta reader the same increments", async () => {
    const { collect, record } = setUp(AggregationTemporality.DELTA);
    record(20, input);
    const first = await collect();
    expect(first["gen_ai.client.token.usage"]).toEqual(first["direct.tokens"]);
    record(40, input);
    record(41, input);
    const second = await collect();
    expect(second["gen_ai.client.token.usage"]).toEqual(second["direct.tokens"]);
    expect(second["gen_ai.client.token.usage"]?.[JSON.stringify(input)]?.count).toBe(2);
  });

  it(`are handed over once ${RECORD_BATCH} are held, without waiting for a collection`, async () => {
    const { instruments, collect, record } = setUp(AggregationTemporality.CUMULATIVE);
    for (let i = 0; i < RECORD_BATCH - 1; i++) record(i, input);
    expect(instruments.batch.size).toBe(RECORD_BATCH - 1);
    record(1, output);
    expect(instruments.batch.size).toBe(0);
    record(2, output);
    expect(instruments.batch.size).toBe(1);
    const points = await collect();
    expect(points["gen_ai.client.token.usage"]).toEqual(points["direct.tokens"]);
    expect(points["gen_ai.client.token.usage"]?.[JSON.stringify(output)]?.count).toBe(2);
  });
});
