// A Tally behind an observable instrument exports what a synchronous counter given the same adds exports, through
// the real SDK, for a cumulative reader (Prometheus, the default) and a delta one.
import type { Attributes } from "@opentelemetry/api";
import { AggregationTemporality } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { collectingMeter } from "./metrics-test-support.ts";
import { Tally } from "./tally.ts";

function setUp(temporality: AggregationTemporality) {
  const { meter, collect } = collectingMeter<number>(temporality, "tally-test");
  const sync = meter.createCounter("sync.calls");
  const syncUpDown = meter.createUpDownCounter("sync.active");
  const calls = new Tally(true);
  meter.createObservableCounter("tally.calls").addCallback((r) => calls.observe(r));
  const active = new Tally(false);
  meter.createObservableUpDownCounter("tally.active").addCallback((r) => active.observe(r));
  const add = (value: number, attributes?: Attributes) => {
    sync.add(value, attributes);
    calls.add(value, attributes);
  };
  const move = (value: number, attributes?: Attributes) => {
    syncUpDown.add(value, attributes);
    active.add(value, attributes);
  };
  return { add, move, collect };
}

const completed = Object.freeze({ tool: "lookup", outcome: "completed" });

describe("Tally", () => {
  it("exports the totals a synchronous counter does, collection after collection (cumulative)", async () => {
    const { add, move, collect } = setUp(AggregationTemporality.CUMULATIVE);
    add(1, completed);
    add(1, completed);
    // Same labels in another object and order: the same series.
    add(1, { outcome: "completed", tool: "lookup" });
    add(1, { tool: "lookup", outcome: "failed" });
    add(0.25);
    add(-5, completed); // a counter ignores a negative value, as the SDK's does
    move(1, { agent: "desk" });
    move(1, { agent: "desk" });
    const first = await collect();
    expect(first["tally.calls"]).toEqual(first["sync.calls"]);
    expect(first["tally.calls"]).toEqual({
      [JSON.stringify(completed)]: 3,
      [JSON.stringify({ tool: "lookup", outcome: "failed" })]: 1,
      "{}": 0.25,
    });
    expect(first["tally.active"]).toEqual(first["sync.active"]);
    expect(first["tally.active"]).toEqual({ [JSON.stringify({ agent: "desk" })]: 2 });

    add(2, completed);
    move(-2, { agent: "desk" });
    const second = await collect();
    expect(second["tally.calls"]).toEqual(second["sync.calls"]);
    expect(second["tally.active"]).toEqual(second["sync.active"]);
    expect(second["tally.active"]).toEqual({ [JSON.stringify({ agent: "desk" })]: 0 });
  });

  it("gives a delta reader the same increments", async () => {
    const { add, collect } = setUp(AggregationTemporality.DELTA);
    add(1, completed);
    add(2, { tool: "lookup", outcome: "failed" });
    const first = await collect();
    expect(first["tally.calls"]).toEqual(first["sync.calls"]);
    add(4, completed);
    const second = await collect();
    // A series that did not move reports a zero increment here; the synchronous counter leaves it out.
    const moved = Object.fromEntries(
      Object.entries(second["tally.calls"] ?? {}).filter(([, v]) => v !== 0),
    );
    expect(moved).toEqual(second["sync.calls"]);
    expect(second["tally.calls"]).toEqual({
      [JSON.stringify(completed)]: 4,
      [JSON.stringify({ tool: "lookup", outcome: "failed" })]: 0,
    });
  });
});
