import { type LoadedAgent, ParleyError, sleep } from "@parley/core";
import type { ToolMock, ToolMocks } from "./schema.ts";

/**
 * The agent with some tools' handlers replaced by mocks: a fixed output (or error) after a fixed latency, or a list
 * of them used call by call (the last one answers every call after). Everything else about the tool (parameters,
 * fillers, approval, timeout) stays as declared, so it is still under test.
 *
 * @example
 * withMocks(agent, { lookup_booking: { output: { found: true }, latency: 1500 } })
 * withMocks(agent, { lookup_booking: [{ output: { ref: "A" } }, { output: { ref: "B" } }] })
 */
export function withMocks(
  agent: LoadedAgent,
  mocks: Record<string, ToolMocks>,
  options: {
    strict?: boolean;
    /** Calls made so far per tool: shared with the agents this one hands off to, so a list goes on where it was. */
    calls?: Map<string, number>;
  } = {},
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
  const calls = options.calls ?? new Map<string, number>();
  const tools = agent.tools.map((tool) => {
    const mocked = mocks[tool.name];
    if (!mocked) return tool;
    return {
      ...tool,
      run: async (_args: unknown, ctx: { signal: AbortSignal }) => {
        const n = calls.get(tool.name) ?? 0;
        calls.set(tool.name, n + 1);
        const mock = pick(mocked, n);
        if (mock.latency) await sleep(mock.latency, { signal: ctx.signal });
        if (mock.error !== undefined) throw new Error(mock.error);
        return mock.output ?? null;
      },
    };
  });
  return { ...agent, tools: tools as LoadedAgent["tools"] };
}

/** The mock for a tool's call number `n` (from 0): a list's item, its last one past the end. */
function pick(mocks: ToolMocks, n: number): ToolMock {
  if (!Array.isArray(mocks)) return mocks;
  return mocks[Math.min(n, mocks.length - 1)] as ToolMock;
}
