import { describe, expect, it } from "vitest";
import { type AnyToolDefinition, closeAllAgents, type LoadedAgent, loadAgent } from "../index.ts";

const file = new URL("../../test/fixtures/live/live.agent.yaml", import.meta.url).pathname;
const handle = () =>
  (globalThis as Record<symbol, unknown>)[Symbol.for("parley.test.livePack")] as {
    closes: number;
    builds: number;
    change: (tools: AnyToolDefinition[]) => void;
  };
const tool = (name: string): AnyToolDefinition => ({
  name,
  description: `The ${name} tool.`,
  parameters: { type: "object", properties: {} },
  run: () => ({ ran: name }),
});

describe("a pack's hooks: onClose and onToolsChanged", () => {
  it("re-applies the file's except/rename/overrides and the agent's defaults to a changed list", async () => {
    const agent = await loadAgent(file);
    expect(agent.tools.map((t) => t.name)).toEqual(["a_tool", "inline_last"]);
    // c_tool does not exist yet: the pack's list may grow, so the rename is a warning, not an error.
    expect(agent.warnings.map((w) => `${w.line}:${w.path} ${w.message}`)).toEqual([
      '7:tools[0].rename.c_tool pack ./live-pack.ts has no tool "c_tool" for now',
      '9:tools[0].overrides.c_tool pack ./live-pack.ts has no tool "c_tool" for now',
    ]);
    const seen: LoadedAgent[] = [];
    const stop = agent.onToolsChanged?.((next) => seen.push(next));

    handle().change([tool("a_tool"), tool("b_tool"), tool("c_tool")]);
    expect(seen).toHaveLength(1);
    const next = seen[0] as LoadedAgent;
    // The entry's tools are replaced in place (before the inline tool), b_tool still excepted, c_tool renamed.
    expect(next.tools.map((t) => t.name)).toEqual(["a_tool", "renamed_c", "inline_last"]);
    const renamed = next.tools.find((t) => t.name === "renamed_c");
    expect(renamed?.timeout).toBe(4000); // the file's override
    expect(renamed?.origin).toMatchObject({ kind: "pack", pack: "live@1.0.0" });
    expect(renamed?.filler).toMatchObject({ after: 1000, lines: ["One moment."] }); // agent default folded in
    expect(next.tools.find((t) => t.name === "a_tool")?.timeout).toBe(7000); // the pack's default
    expect(next.config).toBe(agent.config);

    // A later change starts from the last list; a removed tool leaves.
    handle().change([tool("c_tool")]);
    expect(seen[1]?.tools.map((t) => t.name)).toEqual(["renamed_c", "inline_last"]);

    stop?.();
    handle().change([tool("a_tool")]);
    expect(seen).toHaveLength(2);
    await agent.close?.();
  });

  it("builds a pack that holds a connection per load, and close() releases it", async () => {
    const before = { ...handle() };
    const one = await loadAgent(file);
    const two = await loadAgent(file);
    expect(handle().builds).toBe(before.builds + 2); // not reused: each load owns its connection
    await one.close?.();
    expect(handle().closes).toBe(before.closes + 1);
    await closeAllAgents(); // what the CLI does before exiting: the other agent is closed too
    expect(handle().closes).toBe(before.closes + 2);
    await two.close?.(); // safe to call again
  });
});
