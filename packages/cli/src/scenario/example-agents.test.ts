import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findFilesUnder } from "../files/walk.ts";
import { findScenarioFiles } from "./discover.ts";
import { loadScenarioFile } from "./load.ts";
import { runScenario } from "./run.ts";
import type { Scenario } from "./schema.ts";

const agentsDir = join(import.meta.dirname, "../../../../agents");
// The agents `agent test` would find: the same walker, so the scratch copies other test files make meanwhile under a
// dot folder (agents/.readme-…, agents/.fuzz-…) are not counted as examples without scenarios.
const AGENT_FILE = /\.agent\.(ya?ml|md|ts)$/;

// Every example scenario in one test: minutes on a loaded 2-core machine (it timed out at 60 s beside two busy loops).
describe("the example agents", { timeout: 240_000 }, () => {
  it("each ship with scenarios, and every scenario passes offline", async () => {
    const scenarios: Scenario[] = [];
    for (const file of await findScenarioFiles([agentsDir]))
      scenarios.push(...(await loadScenarioFile(file)));
    const tested = new Set(scenarios.map((s) => s.agentFile));
    expect(findFilesUnder(agentsDir, AGENT_FILE).filter((f) => !tested.has(f))).toEqual([]);

    const agents = new Map();
    const failures: string[] = [];
    for (const scenario of scenarios) {
      const result = await runScenario(scenario, { agents });
      const step = result.steps.find((s) => s.status === "failed");
      if (result.status === "failed")
        failures.push(
          `${scenario.name}: ${step?.step.label ?? ""} ${step?.message ?? result.error}`,
        );
    }
    expect(failures).toEqual([]);
  });
});
