// The metric side of the telemetry tests: a real MeterProvider whose only reader collects when a test asks, into an
// in-memory exporter, shut down after each test.
import type { Meter } from "@opentelemetry/api";
import {
  type AggregationTemporality,
  type DataPoint,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { afterEach } from "vitest";

const providers: MeterProvider[] = [];
afterEach(async () => {
  for (const p of providers.splice(0)) await p.shutdown();
});

/**
 * A meter (and its provider, for code that takes one), and `collect()`: every metric's points at one collection, as
 * `metric → attributes (JSON) → value`; `collectPoints()` the same with whole data points (start and end times too).
 */
export function collectingMeter<Point>(
  temporality: AggregationTemporality,
  name: string,
): {
  provider: MeterProvider;
  meter: Meter;
  collect: () => Promise<Record<string, Record<string, Point>>>;
  collectPoints: () => Promise<Record<string, Record<string, DataPoint<Point>>>>;
} {
  const exporter = new InMemoryMetricExporter(temporality);
  // An hour: no collection but the ones a test asks for.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  providers.push(provider);
  const collectPoints = async () => {
    await reader.forceFlush();
    const metrics = exporter.getMetrics().at(-1)?.scopeMetrics[0]?.metrics ?? [];
    exporter.reset();
    return Object.fromEntries(
      metrics.map((m) => [
        m.descriptor.name,
        Object.fromEntries(
          m.dataPoints.map((p) => [JSON.stringify(p.attributes), p as DataPoint<Point>]),
        ),
      ]),
    );
  };
  const collect = async () =>
    Object.fromEntries(
      Object.entries(await collectPoints()).map(([metric, points]) => [
        metric,
        Object.fromEntries(Object.entries(points).map(([key, p]) => [key, p.value])),
      ]),
    );
  return { provider, meter: provider.getMeter(name), collect, collectPoints };
}
