import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioFileError } from "./errors.ts";
import { loadScenarioFile } from "./load.ts";

const fixtures = join(import.meta.dirname, "../../test/fixtures/scenarios");

async function problemsOf(file: string) {
  const error = await loadScenarioFile(join(fixtures, file)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ScenarioFileError);
  return (error as ScenarioFileError).problems.map(
    (p) => `${p.line}:${p.col} ${p.path}: ${p.message}`,
  );
}

describe("loading a scenario file", () => {
  it("normalises steps, merges file-level mocks and variables, and finds the agent beside it", async () => {
    const [first, second] = await loadScenarioFile(join(fixtures, "weather.test.yaml"));
    expect(first?.agentFile).toBe(join(fixtures, "weather.agent.yaml"));
    expect(first?.mocks).toEqual({ get_weather: { output: { sky: "cloudy" }, latency: 300 } });
    expect(first?.steps.map((s) => s.label)).toEqual([
      'user (audio): "What\'s the weather in Paris?"',
      'expect_tool get_weather {"city":"Paris"}',
      "expect_filler",
      "expect_say /sunny|cloudy/i",
    ]);
    expect(first?.steps[1]).toMatchObject({
      kind: "expect_tool",
      within: 2000,
      location: { line: 9, col: 9 },
    });
    expect(first?.steps[3]).toMatchObject({
      kind: "expect_say",
      regex: "sunny|cloudy",
      reply: "It is sunny.",
    });
    expect(second?.variables).toEqual({ guest: "Ada" });
    expect(second?.steps[1]).toMatchObject({ kind: "expect_no_tool", tool: undefined });
  });

  it("reports every problem at its line and column, with did-you-mean", async () => {
    expect(await problemsOf("broken.test.yaml")).toEqual([
      "6:9 scenarios[0].steps[1]: a step needs one of: user, image, expect_tool, expect_output, expect_delegation, expect_filler, approve, deny, expect_say, expect_no_tool, fault, expect_mode (did you mean expect_tool?)",
      '8:17 scenarios[0].steps[2].within: expected a duration like "300ms", "1.5s", "2m" or a number of milliseconds',
      "9:9 scenarios[0].steps[3]: a step has one action, this one has user and expect_no_tool: split it into 2 steps",
      expect.stringMatching(
        /^11:30 scenarios\[0\]\.steps\[4\]\.expect_say\.regex: not a valid regular expression/,
      ),
      "12:9 scenarios[0].steps[5]: unknown field args",
    ]);
  });

  it("says when the agent file is missing", async () => {
    expect(await problemsOf("missing-agent.test.yaml")).toEqual([
      "1:8 agent: agent file ./nowhere.agent.yaml not found",
    ]);
  });

  it("reports YAML syntax errors with their position", async () => {
    const [problem] = await problemsOf("syntax.test.yaml");
    expect(problem).toMatch(/^\d+:\d+ : /);
  });
});
