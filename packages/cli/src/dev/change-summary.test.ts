import { describe, expect, it } from "vitest";
import { summarizeChange } from "./change-summary.ts";

const base = {
  config: {
    name: "a",
    voice: "marin",
    instructions: "Be brief.\nVery brief.",
    tools: [{ name: "x" }],
  },
  tools: [{ name: "lookup", description: "Find", parameters: { type: "object" } }],
};

describe("the one-line summary of a reload", () => {
  it("names changed fields, with short values shown before → after", () => {
    const after = { ...base, config: { ...base.config, voice: "cedar", instructions: "Be warm." } };
    expect(summarizeChange(base, after, [])).toBe("voice (marin → cedar), instructions");
  });

  it("lists tools added, removed and changed, and re-imported handler files", () => {
    const after = {
      config: { ...base.config, tools: [{ name: "y" }] },
      tools: [
        { name: "lookup", description: "Find a booking", parameters: { type: "object" } },
        { name: "cancel", description: "Cancel" },
      ],
    };
    expect(summarizeChange(base, after, ["/a/tools.ts", "/a/x.agent.yaml"])).toBe(
      "tools +cancel ~lookup; re-imported tools.ts",
    );
  });

  it("says so when nothing the session uses changed", () => {
    expect(summarizeChange(base, base, ["/a/x.agent.yaml"])).toBe("no change to the session");
  });
});
