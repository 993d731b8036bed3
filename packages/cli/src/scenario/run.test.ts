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

  it("expects an async delegation's nested call and its later answer, spoken after the turn that asked", async () => {
    const [async] = await loadScenarioFile(join(fixtures, "desk.test.yaml"));
    const result = await runScenario(async as never);
    expect(
      result.status,
      JSON.stringify({ steps: result.steps, transcript: result.transcript }),
    ).toBe("passed");
    const lines = result.transcript.map((t) => `${t.role}: ${t.text}`);
    // The voice model acknowledged first; the planner's answer came as its own later reply.
    const ack = lines.findIndex((l) => l.startsWith("agent: Let me look into that"));
    const answer = lines.findIndex((l) => l.includes("agent: The planner says it is sunny"));
    expect(ack).toBeGreaterThan(-1);
    expect(answer).toBeGreaterThan(ack);
    expect(lines).toContain('tool:   ↳ get_weather {"city":"Paris"}');
  });

  it("injects a transcription fault: the session switches to text, the agent says so, and switches back", async () => {
    const [, fallback] = await loadScenarioFile(join(fixtures, "desk.test.yaml"));
    const result = await runScenario(fallback as never);
    expect(
      result.status,
      JSON.stringify({ steps: result.steps, transcript: result.transcript }),
    ).toBe("passed");
    const notices = result.transcript.filter((t) => t.role === "notice").map((t) => t.text);
    expect(notices).toEqual([
      expect.stringContaining("[text mode: audio_errors]"),
      expect.stringContaining("[audio mode: recovered]"),
    ]);
  });

  it("fails an expect_mode step when the session never switches", async () => {
    const [, fallback] = await loadScenarioFile(join(fixtures, "desk.test.yaml"));
    const withoutFault = {
      ...(fallback as object),
      steps: (fallback as { steps: { kind: string }[] }).steps.filter((s) => s.kind !== "fault"),
    };
    const result = await runScenario(withoutFault as never, { stepTimeoutMs: 3000 });
    expect(result.status).toBe("failed");
    expect(result.steps.find((s) => s.status === "failed")?.message).toMatch(
      /expected the session to switch to text, but it stayed in audio mode/,
    );
  });
});
