import { basename, dirname } from "node:path";
import { findScenarioFiles } from "../scenario/discover.ts";
import { ScenarioFileError } from "../scenario/errors.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import { runScenario } from "../scenario/run.ts";

export interface ScenarioOutcome {
  status: "passed" | "failed";
  /** The first failure (or the scenario file's problem). */
  message?: string;
  file: string;
}

/** A scenario whose outcome is not the same for both versions (or that only one version has). */
export interface ScenarioChange {
  name: string;
  file: string;
  before?: ScenarioOutcome["status"];
  after?: ScenarioOutcome["status"];
  message?: string;
}

/**
 * Runs, offline, the scenarios of one version of an agent: the `*.test.yaml` files in its folder (and below) whose
 * agent is this file. Outcomes by scenario name (file name › scenario name).
 */
export async function scenarioOutcomes(agentFile: string): Promise<Map<string, ScenarioOutcome>> {
  const out = new Map<string, ScenarioOutcome>();
  const agents = new Map();
  for (const file of await findScenarioFiles([dirname(agentFile)])) {
    let scenarios: Awaited<ReturnType<typeof loadScenarioFile>>;
    try {
      scenarios = await loadScenarioFile(file);
    } catch (error) {
      if (!(error instanceof ScenarioFileError)) throw error;
      const first = error.problems[0];
      out.set(`${basename(file)} › (file)`, {
        status: "failed",
        file: basename(file),
        message: `the scenario file is invalid: ${first?.message ?? error.message} (line ${first?.line ?? 1})`,
      });
      continue;
    }
    for (const scenario of scenarios) {
      if (scenario.agentFile !== agentFile) continue;
      const result = await runScenario(scenario, { pace: 0, agents });
      const failed = result.steps.find((s) => s.status === "failed");
      const message =
        result.error ??
        (failed
          ? `step ${failed.step.index + 1}: ${failed.step.label}: ${failed.message}`
          : undefined);
      out.set(`${basename(file)} › ${scenario.name}`, {
        status: result.status,
        file: basename(file),
        ...(message ? { message } : {}),
      });
    }
  }
  return out;
}

/** The scenarios whose outcome changed, was added or was removed. */
export function compareOutcomes(
  before: Map<string, ScenarioOutcome>,
  after: Map<string, ScenarioOutcome>,
): ScenarioChange[] {
  const out: ScenarioChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key);
    const b = after.get(key);
    if (a && b && a.status === b.status && a.message === b.message) continue;
    const name = key.slice(key.indexOf(" › ") + 3);
    const message =
      b?.status === "failed" ? b.message : a?.status === "failed" && !b ? a.message : undefined;
    out.push({
      name,
      file: (b ?? a)?.file ?? "",
      ...(a ? { before: a.status } : {}),
      ...(b ? { after: b.status } : {}),
      ...(message ? { message } : {}),
    });
  }
  return out;
}
