import { describe, expect, it } from "vitest";
import { z } from "zod";
import { writeManyToolsAgent } from "../../bench/fixtures/many-tools.ts";
import { compileSession } from "../compile/index.ts";
import { loadAgent } from "../load/index.ts";
import { defineTool } from "../tool/index.ts";
import { schedulerOptionsFor } from "./agent-tools.ts";
import { preparedTools } from "./prepared-tools.ts";

const tool = (name: string) =>
  defineTool({ name, description: name, parameters: z.object({ q: z.string() }), run: () => "ok" });

describe("prepared tools and compiled tools, once per loaded agent", () => {
  it("shares one preparation between the sessions of an agent, and prepares a changed list anew", async () => {
    const agent = await loadAgent(writeManyToolsAgent(20));
    const first = preparedTools(agent.tools, schedulerOptionsFor(agent));
    const second = preparedTools(agent.tools, schedulerOptionsFor(agent));
    expect(second).toBe(first);
    expect(first.byName.size).toBe(20);
    // what a pack's tool-list change or a reload gives: a new list
    const changed = preparedTools(
      [...agent.tools.slice(1), tool("extra")],
      schedulerOptionsFor(agent),
    );
    expect(changed).not.toBe(first);
    expect(changed.byName.has("extra")).toBe(true);
    // other defaults (a session's scheduler overrides) are prepared under their own key
    const slower = preparedTools(agent.tools, { ...schedulerOptionsFor(agent), timeout: "1m" });
    expect(slower).not.toBe(first);
    expect(slower.byName.get(agent.tools[0]?.name ?? "")?.timeoutMs).toBe(60_000);
  });

  it("refuses two tools of one name every time, not only the first", () => {
    const list = [tool("a"), tool("a")];
    expect(() => preparedTools(list, {})).toThrow(/two tools are named "a"/);
    expect(() => preparedTools(list, {})).toThrow(/two tools are named "a"/);
  });

  it("compiles an agent's tools once: sessions with other variables share them, a new agent does not", async () => {
    const agent = await loadAgent(writeManyToolsAgent(5));
    const a = compileSession(agent).session.tools ?? [];
    const b = compileSession(agent, { variables: {} }).session.tools ?? [];
    expect(b).not.toBe(a); // each update has its own list…
    expect(b[0]).toBe(a[0]); // …of the same compiled tools
    const fewer = compileSession({ ...agent, tools: agent.tools.slice(0, 2) }).session.tools ?? [];
    expect(fewer).toHaveLength(2);
  });
});
