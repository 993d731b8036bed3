import type { Attributes, Meter, MetricOptions } from "@opentelemetry/api";
import { type BatchedHistogram, RecordBatch } from "./record-batch.ts";
import { Tally } from "./tally.ts";

/** Latency buckets in seconds: voice turns live between a fifth of a second and a few seconds. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];
const TOKEN_BUCKETS = [16, 64, 256, 1024, 4096, 16384, 65536];

const seconds = (description: string, buckets = LATENCY_BUCKETS): MetricOptions => ({
  description,
  unit: "s",
  advice: { explicitBucketBoundaries: buckets },
});

/**
 * Every metric Parley records, created once per meter and shared by the sessions it observes. Names follow the
 * GenAI conventions where they exist (`gen_ai.client.token.usage`, `gen_ai.client.operation.duration`); the rest
 * are `parley.*`. docs/observability.md lists them with their attributes.
 *
 * Counters are observable instruments over Tallies (plain totals read when metrics are collected): the exported
 * sums are what synchronous counters would give, without the SDK's per-call work. Histograms have no observable
 * form in OpenTelemetry: their records are handed to the SDK in batches (RecordBatch), every collection taking what
 * is held first.
 */
export class Instruments {
  readonly activeSessions: Tally;
  readonly sessions: Tally;
  readonly sessionDuration: BatchedHistogram;
  readonly turns: Tally;
  readonly firstAudio: BatchedHistogram;
  readonly firstAnswer: BatchedHistogram;
  readonly responseDuration: BatchedHistogram;
  readonly tokens: BatchedHistogram;
  readonly cost: Tally;
  readonly toolCalls: Tally;
  readonly toolDuration: BatchedHistogram;
  readonly approvalWait: BatchedHistogram;
  readonly mcpCalls: Tally;
  readonly errors: Tally;
  /** The histograms' records not yet handed to the SDK. */
  readonly batch = new RecordBatch();

  constructor(meter: Meter) {
    const histogram = (name: string, options: MetricOptions): BatchedHistogram =>
      this.batch.of(meter.createHistogram(name, options));
    const counter = (name: string, options: MetricOptions): Tally => {
      const tally = new Tally(true);
      meter.createObservableCounter(name, options).addCallback((result) => tally.observe(result));
      return tally;
    };
    this.activeSessions = new Tally(false);
    const active = meter.createObservableUpDownCounter("parley.sessions.active", {
      description: "Sessions open now.",
      unit: "{session}",
    });
    active.addCallback((result) => this.activeSessions.observe(result));
    // The SDK runs every callback of a collection before it reads the histograms: the records held go in first.
    meter.addBatchObservableCallback(() => this.batch.collected(), [active]);
    this.sessions = counter("parley.sessions", {
      description: "Sessions ended, by close reason.",
      unit: "{session}",
    });
    this.sessionDuration = histogram(
      "parley.session.duration",
      seconds(
        "Session length, from the first event to the close.",
        [10, 30, 60, 120, 300, 600, 1800, 3600, 7200],
      ),
    );
    this.turns = counter("parley.turns", {
      description: "User turns measured (the end of the user's input to the agent's answer).",
      unit: "{turn}",
    });
    this.firstAudio = histogram(
      "parley.turn.first_audio",
      seconds("End of the user's input to the agent's first output, filler or not."),
    );
    this.firstAnswer = histogram(
      "parley.turn.first_answer",
      seconds("End of the user's input to the first output of the real answer (not a filler)."),
    );
    // Its count is the number of responses, by kind and status: no counter of its own (one record per response
    // fewer).
    this.responseDuration = histogram(
      "gen_ai.client.operation.duration",
      seconds("One Realtime response, from response.created to response.done, by kind and status."),
    );
    this.tokens = histogram("gen_ai.client.token.usage", {
      description: "Tokens per response, by gen_ai.token.type (input, output).",
      unit: "{token}",
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.cost = counter("parley.cost", {
      description: "Estimated spend from the price table (responses whose model has a price).",
      unit: "USD",
    });
    this.toolCalls = counter("parley.tool.calls", {
      description: "Tool calls answered, by tool and outcome.",
      unit: "{call}",
    });
    this.toolDuration = histogram(
      "parley.tool.duration",
      seconds("A tool call from its arrival to its output (approval and queue included)."),
    );
    this.approvalWait = histogram(
      "parley.tool.approval_wait",
      seconds("Time a tool call waited for an approval decision."),
    );
    this.mcpCalls = counter("parley.mcp.calls", {
      description: "MCP tool calls run by the Realtime API (server side), by outcome.",
      unit: "{call}",
    });
    this.errors = counter("parley.errors", {
      description: "Error events of sessions, by code.",
      unit: "{error}",
    });
  }
}

export type { Attributes };
