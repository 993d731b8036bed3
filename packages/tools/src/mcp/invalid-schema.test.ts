// An MCP server that lists a tool with an invalid inputSchema: reported when the agent loads, the tool left out,
// the other tools offered, and the session starts.
import { fileURLToPath } from "node:url";
import { closeAllAgents, loadAgent, startSession } from "@parley/core";
import { startLocalRealtime } from "@parley/local-realtime";
import { afterAll, describe, expect, it } from "vitest";
import { testContext } from "../../test/tool-context.ts";

const fixture = fileURLToPath(
  new URL("../../test/fixtures/agents/broken-schema.agent.yaml", import.meta.url),
);

afterAll(() => closeAllAgents());

describe("a bridged MCP tool whose inputSchema is invalid", () => {
  it("is reported at load and left out; the other tools work and the session starts", async () => {
    const agent = await loadAgent(fixture);
    const server = await startLocalRealtime({ port: 0, pace: 0 });
    try {
      expect(agent.tools.map((t) => t.name)).toEqual(["echo"]);
      expect(agent.warnings.map((w) => w.message).join("\n")).toMatch(
        /MCP server "shaky": tool broken is left out: its inputSchema is not a valid JSON Schema/,
      );
      expect(await agent.tools[0]?.run({ text: "still here" }, testContext().ctx)).toBe(
        "still here",
      );
      const session = await startSession({ agent, url: server.url });
      expect(session.open).toBe(true);
      await session.close();
    } finally {
      await agent.close?.();
      await server.close();
    }
  });
});
