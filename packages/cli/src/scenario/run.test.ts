import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "./load.ts";
import { runScenario } from "./run.ts";

const fixtures = join(import.meta.dirname, "../../test/fixtures/scenarios");

describe("running a scenario against the local server", () => {
  it("sends speech audio, runs the mocked tool, says its filler and checks the answer", async () => {
    const [withAudio, noTool] = await loadScenarioFile(join(fixtures, "weather.test.yaml"));
    const result = await runScenario(withAudio as never);
    expect(result.error).toBeUndefined();
    expect(
      result.status,
      JSON.stringify({
        error: result.error,
        steps: result.steps.map((s) => s.message),
        transcript: result.transcript,
      }),
    ).toBe("passed");
    expect(result.steps.map((s) => [s.step.kind, s.status, s.message])).toEqual([
      ["user", "passed", undefined],
      ["expect_tool", "passed", undefined],
      ["expect_filler", "passed", undefined],
      ["expect_say", "passed", undefined],
    ]);
    // The speech was recognised from the audio, the mock answered in place of the handler.
    const lines = result.transcript.map((t) => `${t.role}: ${t.text}`);
    expect(lines).toContain("user: What's the weather in Paris?");
    expect(lines).toContain('tool: get_weather {"city":"Paris"}');
    expect(lines).toContain("filler: Let me look at the sky.");
    expect(lines).toContain('tool: get_weather completed → {"sky":"cloudy"}');
    expect(lines).toContain("agent: It is sunny.");

    const second = await runScenario(noTool as never);
    expect(second.status).toBe("passed");
  });

  it("sends an image from beside the scenario file", async () => {
    const [, , image] = await loadScenarioFile(join(fixtures, "weather.test.yaml"));
    const result = await runScenario(image as never);
    expect(result.status).toBe("passed");
    expect(result.transcript.map((t) => `${t.role}: ${t.text}`)).toEqual([
      "user: [image ./pixel.png] what colour is the sky here?",
      "agent: It looks green to me.",
    ]);
  });
});
