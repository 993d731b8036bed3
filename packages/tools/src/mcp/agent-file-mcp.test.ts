// `mcp:` entries with `command:` (or `url:` + `bridge: true`) load as the bridge pack; remote ones stay `type: "mcp"`.
import { fileURLToPath } from "node:url";
import { AgentFileError, closeAllAgents, compileSession, loadAgent } from "@parley/core";
import { afterAll, describe, expect, it } from "vitest";
import { testContext } from "../../test/tool-context.ts";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../test/fixtures/agents/${name}`, import.meta.url));

afterAll(() => closeAllAgents());

describe("mcp: entries in an agent file", () => {
  it("bridges a stdio server (tools run by Parley) and keeps a remote one for the API", async () => {
    const agent = await loadAgent(fixture("bridged.agent.yaml"));
    try {
      const bridged = agent.tools.filter((t) => t.origin?.kind === "mcp");
      expect(bridged.map((t) => t.name).sort()).toEqual([
        "local_add",
        "local_pid",
        "local_toggle_extra",
      ]);
      expect(bridged[0]?.origin).toMatchObject({ kind: "mcp", file: "local" });
      const add = agent.tools.find((t) => t.name === "local_add");
      expect(add?.timeout).toBe(3000);
      // The real server answers through the bridge.
      const result = await add?.run({ a: 2, b: 3 }, testContext().ctx);
      expect(String(result)).toBe("5");

      const tools = compileSession(agent).session.tools ?? [];
      expect(tools.filter((t) => t.type === "mcp")).toEqual([
        {
          type: "mcp",
          server_label: "docs",
          server_url: "https://mcp.example.com/mcp",
          allowed_tools: ["search_docs"],
        },
      ]);
      const functions = tools.flatMap((t) => (t.type === "function" ? [t.name] : []));
      expect(functions).toContain("local_add");
    } finally {
      await agent.close?.();
    }
  });

  it("reports bad entries at their line", async () => {
    const error = await loadAgent(fixture("bad-bridged.agent.yaml")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentFileError);
    const problems = (error as AgentFileError).problems.map(
      (p) => `${p.line}:${p.path} ${p.message}`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^6:mcp\[0\]\.prefix .*bridged server/),
        expect.stringMatching(/^8:mcp\[1\]\.command give exactly one of url, connector or command/),
        expect.stringMatching(/^13:mcp\[2\]\.allowedTools /),
      ]),
    );
  });
});
