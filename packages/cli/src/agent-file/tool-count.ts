import type { LoadedAgent } from "@parley/core/load";

/**
 * How many tools an agent has, said the same way by `agent validate` and `agent tools`: function tools (packs,
 * handlers, bridged MCP) and handoffs (`transfer_to_…`) are tools the model calls through us; remote MCP servers
 * are counted apart (the API calls them, with tools we may not know).
 *
 * @example
 * toolCountText(agent) // "4 tools, 1 remote MCP server"
 */
export function toolCountText(agent: LoadedAgent): string {
  const tools = agent.tools.length + agent.handoffs.length;
  const remote = agent.config.mcp?.length ?? 0;
  return `${tools} tool${tools === 1 ? "" : "s"}${remote ? `, ${remote} remote MCP server${remote === 1 ? "" : "s"}` : ""}`;
}
