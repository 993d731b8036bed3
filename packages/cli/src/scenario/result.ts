import type { Located, LocatedStep } from "./schema.ts";

/** One line of what was said or done during a scenario, for transcript excerpts in reports. */
export interface TranscriptLine {
  /** Milliseconds since the scenario started. */
  at: number;
  role: "user" | "agent" | "filler" | "tool" | "approval" | "notice";
  text: string;
}

export interface StepResult {
  step: LocatedStep;
  status: "passed" | "failed" | "skipped";
  /** Why it failed: what was expected and what happened instead. */
  message?: string;
  /** Milliseconds from the start of the scenario to the step's end. */
  at: number;
}

export interface ScenarioResult {
  name: string;
  file: string;
  location: Located;
  status: "passed" | "failed";
  steps: StepResult[];
  transcript: TranscriptLine[];
  durationMs: number;
  /** A problem outside any one step (the agent file is invalid, the server failed). */
  error?: string;
}

export interface RunSummary {
  results: ScenarioResult[];
  durationMs: number;
  passed: number;
  failed: number;
}

export function summarize(results: ScenarioResult[], durationMs: number): RunSummary {
  const failed = results.filter((r) => r.status === "failed").length;
  return { results, durationMs, passed: results.length - failed, failed };
}
