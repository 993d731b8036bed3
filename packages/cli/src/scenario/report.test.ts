import { describe, expect, it } from "vitest";
import { formatJunitReport } from "./report-junit.ts";
import { formatTextReport } from "./report-text.ts";
import { type ScenarioResult, summarize } from "./result.ts";

const file = "/repo/agents/w/weather.test.yaml";
const step = (index: number, label: string, line: number) => ({
  kind: "expect_say" as const,
  contains: "sunny",
  index,
  label,
  location: { file, line, col: 9 },
});
const passed: ScenarioResult = {
  name: "answers with the tool",
  file,
  location: { file, line: 3, col: 5 },
  status: "passed",
  steps: [],
  transcript: [],
  durationMs: 120,
};
const failed: ScenarioResult = {
  name: "says <sunny> & more",
  file,
  location: { file, line: 9, col: 5 },
  status: "failed",
  steps: [
    {
      step: { ...step(0, 'user: "hi"', 11), kind: "user", text: "hi", audio: false } as never,
      status: "passed",
      at: 5,
    },
    {
      step: step(1, 'expect_say "sunny"', 12),
      status: "failed",
      message: 'expected the agent to say "sunny"\n   it said: "It rains."',
      at: 300,
    },
    { step: step(2, 'expect_say "warm"', 13), status: "skipped", at: 300 },
  ],
  transcript: [
    { at: 5, role: "user", text: "hi" },
    { at: 250, role: "agent", text: "It rains." },
    { at: 900, role: "agent", text: "after the failure" },
  ],
  durationMs: 1500,
};
const summary = summarize([passed, failed], 1700);

describe("the readable report", () => {
  it("shows each scenario, then the failing step with its location, the reason and the transcript up to it", () => {
    const text = formatTextReport(summary, { cwd: "/repo", color: false });
    expect(text).toBe(
      [
        "✓ agents/w/weather.test.yaml › answers with the tool (120 ms)",
        "✗ agents/w/weather.test.yaml › says <sunny> & more (1.50 s)",
        '    step 2: expect_say "sunny"  agents/w/weather.test.yaml:12:9',
        '      expected the agent to say "sunny"',
        '         it said: "It rains."',
        "    transcript:",
        "        0.01s user     hi",
        "        0.25s agent    It rains.",
        "",
        "2 scenarios: 1 passed, 1 failed (1.70 s)",
        "",
      ].join("\n"),
    );
  });
});

describe("the JUnit report", () => {
  it("has one suite per file and one case per scenario, escaped, with the failure's location and message", () => {
    const xml = formatJunitReport(summary, { cwd: "/repo" });
    expect(xml).toContain('<testsuites name="agent test" tests="2" failures="1" time="1.700">');
    expect(xml).toContain(
      '<testsuite name="agents/w/weather.test.yaml" tests="2" failures="1" time="1.620">',
    );
    expect(xml).toContain(
      '<testcase classname="agents/w/weather.test.yaml" name="says &lt;sunny&gt; &amp; more" file="agents/w/weather.test.yaml" line="9" time="1.500">',
    );
    expect(xml).toContain(
      '<failure message="step 2 (expect_say &quot;sunny&quot;): expected the agent to say &quot;sunny&quot;',
    );
    expect(xml).toContain("agents/w/weather.test.yaml:12:9\n");
    expect(xml).toContain(
      "<system-out>0.01s user: hi\n0.25s agent: It rains.\n0.90s agent: after the failure</system-out>",
    );
    expect(xml.match(/<testcase /g)).toHaveLength(2);
  });
});
