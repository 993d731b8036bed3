import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenarioFile } from "./load.ts";
import { compileScript, NEUTRAL_REPLY } from "./script.ts";

const agentDir = join(import.meta.dirname, "../../test/fixtures/scenarios");

describe("compiling a scenario into the scripted model's turns", () => {
  it("calls the expected tools in the first response and says the expected answer after their outputs", () => {
    const [scenario] = parseScenarioFile(
      join(agentDir, "inline.test.yaml"),
      `agent: ./weather.agent.yaml
scenarios:
  - name: s
    steps:
      - expect_say: Hello
      - user: weather in Paris and Lyon?
      - expect_tool: get_weather
        args: { city: Paris }
      - expect_tool: get_weather
        args: { city: Lyon }
      - expect_filler: true
      - expect_say: sunny in both
      - user: thanks
      - expect_no_tool: true
      - user: bye
      - expect_say: { regex: "good ?bye" }
        reply: Goodbye!
`,
    );
    expect(compileScript(scenario as never)).toEqual([
      {
        user: "weather in Paris and Lyon?",
        responses: [
          [
            { call: { name: "get_weather", arguments: { city: "Paris" } } },
            { call: { name: "get_weather", arguments: { city: "Lyon" } } },
          ],
          [{ say: "sunny in both" }],
        ],
      },
      { user: "thanks", responses: [[{ say: NEUTRAL_REPLY }]] },
      { user: "bye", responses: [[{ say: "Goodbye!" }]] },
    ]);
  });
});
