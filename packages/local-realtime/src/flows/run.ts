import { compareTraces, type FlowDifference, type TraceStep, traceOf } from "./compare.ts";
import { FLOWS, type Flow } from "./flows.ts";
import type { Endpoint } from "./probe.ts";

/** One flow's outcome: its trace on each side and, when both ran, where they differ. */
export interface FlowResult {
  flow: string;
  about: string;
  local: TraceStep[];
  other: TraceStep[] | undefined;
  differences: FlowDifference[];
  /** Set when the flow could not run on a side (connection refused, …). */
  failed?: string | undefined;
}

export interface ConformanceOptions {
  /** The local server to test. */
  local: Endpoint;
  /** The side to compare with (the real API, or another server); omitted: local only. */
  other?: Endpoint | undefined;
  /** Names of the flows to run (default: all). */
  flows?: string[] | undefined;
  names?: [string, string];
}

async function trace(flow: Flow, endpoint: Endpoint): Promise<TraceStep[]> {
  return traceOf(await flow.run(endpoint));
}

/**
 * Runs the scripted flows against the local server and, when `other` is given, the same flows against it, and
 * reports where they differ (event order, error codes, fields). Flows run one after another (the real API's rate
 * limits and a busy machine both prefer that).
 *
 * @example
 * const results = await runConformance({ local: { url: `${server.url}?model=gpt-realtime` },
 *   other: { url: "wss://api.openai.com/v1/realtime?model=gpt-realtime", apiKey } });
 */
export async function runConformance(options: ConformanceOptions): Promise<FlowResult[]> {
  const names = options.names ?? ["local", "live"];
  const wanted = options.flows?.length ? new Set(options.flows) : undefined;
  const unknown = [...(wanted ?? [])].filter((n) => !FLOWS.some((f) => f.name === n));
  if (unknown.length)
    throw new Error(
      `unknown flow ${unknown.map((n) => `"${n}"`).join(", ")}; the flows are ${FLOWS.map((f) => f.name).join(", ")}`,
    );
  const results: FlowResult[] = [];
  for (const flow of FLOWS.filter((f) => !wanted || wanted.has(f.name))) {
    try {
      const local = await trace(flow, options.local);
      const other = options.other ? await trace(flow, options.other) : undefined;
      results.push({
        flow: flow.name,
        about: flow.about,
        local,
        other,
        differences: other ? compareTraces(local, other, names) : [],
      });
    } catch (error) {
      results.push({
        flow: flow.name,
        about: flow.about,
        local: [],
        other: undefined,
        differences: [],
        failed: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return results;
}

export { FLOWS };
