// Histogram records handed to the SDK in batches export what records made one by one export, start and end times
// included: every collection takes what is held first, each attribute set's first record of an interval is not held,
// and no more than RECORD_BATCH are ever held. Through the real SDK.
import {
  AggregationTemporality,
  type Histogram as HistogramPoint,
} from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Instruments } from "./instruments.ts";
import { collectingMeter } from "./metrics-test-support.ts";
import { RECORD_BATCH } from "./record-batch.ts";

function setUp(temporality: AggregationTemporality) {
  const { meter, collect, collectPoints } = collectingMeter<HistogramPoint>(
    temporality,
    "record-batch-test",
  );
  const instruments = new Instruments(meter);
  // The same records made one by one, as a reference.
  const direct = meter.createHistogram("direct.tokens", {
    advice: { explicitBucketBoundaries: [16, 64, 256, 1024, 4096, 16384, 65536] },
  });
  const record = (value: number, attributes: Record<string, string>) => {
    instruments.tokens.record(value, attributes);
    direct.record(value, attributes);
  };
  return { instruments, collect, collectPoints, record };
}

const input = Object.freeze({ "gen_ai.token.type": "input" });
const output = Object.freeze({ "gen_ai.token.type": "output" });

describe("batched histogram records", () => {
  it("are all in the next collection, as records made one by one would be (cumulative)", async () => {
    const { instruments, collect, record } = setUp(AggregationTemporality.CUMULATIVE);
    record(12, input);
    record(300, output);
    record(70, input);
    record(71, input);
    // The first record of each set went to the SDK at once.
    expect(instruments.batch.size).toBe(2);
    const first = await collect();
    expect(instruments.batch.size).toBe(0);
    expect(first["gen_ai.client.token.usage"]).toEqual(first["direct.tokens"]);
    expect(first["gen_ai.client.token.usage"]?.[JSON.stringify(input)]).toMatchObject({
      count: 3,
      sum: 153,
      min: 12,
      max: 71,
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
    record(0, output);
    for (let i = 0; i < RECORD_BATCH; i++) record(i, input);
    expect(instruments.batch.size).toBe(RECORD_BATCH - 1);
    record(1, output);
    expect(instruments.batch.size).toBe(0);
    record(2, output);
    expect(instruments.batch.size).toBe(1);
    const points = await collect();
    expect(points["gen_ai.client.token.usage"]).toEqual(points["direct.tokens"]);
    expect(points["gen_ai.client.token.usage"]?.[JSON.stringify(output)]?.count).toBe(3);
  });

  // The SDK stamps a series' start when it is handed the series' first value of an interval (Date.now(), in ms):
  // the clock is set by hand so the record and the collection are 1.5 s apart, without waiting.
  afterEach(() => {
    vi.useRealTimers();
  });
  const T0 = Date.UTC(2026, 11, 2, 12);
  const ms = ([s, ns]: [number, number]) => s * 1000 + ns / 1e6;

  for (const [name, temporality] of [
    ["cumulative", AggregationTemporality.CUMULATIVE],
    ["delta", AggregationTemporality.DELTA],
  ] as const)
    it(`start a new series when its first record was made, not at the collection (${name})`, async () => {
      vi.useFakeTimers({ toFake: ["Date"], now: T0 });
      const { collectPoints, record } = setUp(temporality);
      record(20, input);
      vi.setSystemTime(T0 + 1_500);
      const first = await collectPoints();
      expect(first["gen_ai.client.token.usage"]).toEqual(first["direct.tokens"]);
      const point = first["gen_ai.client.token.usage"]?.[JSON.stringify(input)];
      expect(point && ms(point.startTime)).toBe(T0);
      expect(point && ms(point.endTime)).toBe(T0 + 1_500);
      // A series new in the second interval (output), and one that goes on (input), with records held behind the
      // first of each: the same points, times included, as records made one by one.
      vi.setSystemTime(T0 + 2_000);
      record(300, output);
      record(40, input);
      record(301, output);
      record(41, input);
      vi.setSystemTime(T0 + 3_000);
      const second = await collectPoints();
      expect(second["gen_ai.client.token.usage"]).toEqual(second["direct.tokens"]);
      const started = second["gen_ai.client.token.usage"]?.[JSON.stringify(output)];
      expect(started && ms(started.startTime)).toBe(T0 + 2_000);
      expect(started?.value.count).toBe(2);
    });
});
