// Histogram records handed to the SDK in batches export what records made one by one export: every collection
// takes what is held first, and no more than RECORD_BATCH are ever held. Through the real SDK.
import {
  AggregationTemporality,
  type Histogram as HistogramPoint,
} from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { Instruments } from "./instruments.ts";
import { collectingMeter } from "./metrics-test-support.ts";
import { RECORD_BATCH } from "./record-batch.ts";

function setUp(temporality: AggregationTemporality) {
  const { meter, collect } = collectingMeter<HistogramPoint>(temporality, "record-batch-test");
  const instruments = new Instruments(meter);
  // The same records made one by one, as a reference.
  const direct = meter.createHistogram("direct.tokens", {
    advice: { explicitBucketBoundaries: [16, 64, 256, 1024, 4096, 16384, 65536] },
  });
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
