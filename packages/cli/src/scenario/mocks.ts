import { type LoadedAgent, ParleyError, sleep } from "@parley/core";
import type { ToolMock } from "./schema.ts";

/**
 * The agent with some tools' handlers replaced by mocks: a fixed output (or error) after a fixed latency. Everything
 * else about the tool (parameters, fillers, approval, timeout) stays as declared, so it is still under test.
 *
 * @example
 * withMocks(agent, { lookup_booking: { output: { found: true }, latency: 1500 } })
 */
export function withMocks(
  agent: LoadedAgent,
  mocks: Record<string, ToolMock>,
  options: { strict?: boolean } = {},
): LoadedAgent {
  const names = new Set(agent.tools.map((t) => t.name));
  const unknown = Object.keys(mocks).filter((n) => !names.has(n));
  // A mock may be for an agent this one hands off to (not loaded yet): only an agent without handoffs is checked.
  const strict = options.strict ?? agent.handoffs.length === 0;
  if (strict && unknown.length > 0) {
    throw new ParleyError(
      "scenario_invalid",
      `mocks name ${unknown.map((n) => `"${n}"`).join(", ")}, but ${agent.name} has no such tool (tools: ${[...names].join(", ") || "none"})`,
    );
  }
  if (Object.keys(mocks).length === 0) return agent;
  const tools = agent.tools.map((tool) => {
    const mock = mocks[tool.name];
    if (!mock) return tool;
    return {
      ...tool,
      run: async (_args: unknown, ctx: { signal: AbortSignal }) => {
        if (mock.latency) await sleep(mock.latency, { signal: ctx.signal });
        if (mock.error !== undefined) throw new Error(mock.error);
        return mock.output ?? null;
      },
    };
  });
  return { ...agent, tools: tools as LoadedAgent["tools"] };
}
