import { describe, expect, it } from "vitest";
import { compileSession } from "../compile/index.ts";
import { loadAgent } from "./index.ts";

const fixture = (name: string) =>
  new URL(`../../test/fixtures/runtime/delegate/${name}`, import.meta.url).pathname;

describe("delegate entries in agent files", () => {
  it("become tools the voice model calls with a `question`, keeping private tools away from it", async () => {
    const agent = await loadAgent(fixture("billing.agent.yaml"));
    const expert = agent.tools.find((t) => t.name === "billing_expert");
    expect(expert?.delegate).toMatchObject({
      model: "gpt-5.4",
      tools: ["lookup_invoice"],
      private: true,
    });
    expect(expert?.parameters).toMatchObject({ required: ["question"] });
    const tools = (compileSession(agent).session as { tools?: { name?: string }[] }).tools ?? [];
    expect(tools.map((t) => t.name)).toEqual(["billing_expert"]);
    // Outside a session there is no text model to ask: the tool says so instead of pretending.
    expect(() => expert?.run({ question: "x" }, {} as never)).toThrow(/only inside a session/);
  });

  it("carry their remote MCP servers compiled as the Responses API takes them", async () => {
    const agent = await loadAgent(fixture("research.agent.yaml"));
    const research = agent.tools.find((t) => t.name === "research");
    expect(research?.delegateMcp).toEqual([
      expect.objectContaining({
        type: "mcp",
        server_label: "docs",
        server_url: "https://mcp.example.com/sse",
      }),
    ]);
    expect(research?.delegate?.output).toEqual({
      schema: { type: "object", properties: { answer: { type: "string" } } },
    });
  });
});
