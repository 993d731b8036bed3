import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findScenarioFiles } from "./discover.ts";
import { loadScenarioFile } from "./load.ts";
import { runScenario } from "./run.ts";
import type { Scenario } from "./schema.ts";

const agentsDir = join(import.meta.dirname, "../../../../agents");

function agentFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? agentFiles(join(dir, e.name))
      : /\.agent\.(ya?ml|md|ts)$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

describe("the example agents", { timeout: 60_000 }, () => {
  it("each ship with scenarios, and every scenario passes offline", async () => {
    const scenarios: Scenario[] = [];
    for (const file of await findScenarioFiles([agentsDir]))
      scenarios.push(...(await loadScenarioFile(file)));
    const tested = new Set(scenarios.map((s) => s.agentFile));
    expect(agentFiles(agentsDir).filter((f) => !tested.has(f))).toEqual([]);

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
