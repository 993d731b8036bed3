import type { LoadedAgent } from "../contracts/agent.ts";
import { GenAi, Parley } from "./attributes.ts";

/** How a tool call's span is named and labelled, from where the tool came from. */
export interface ToolSpanShape {
  /** The span name: `execute_tool lookup`, `tools/call search`, `invoke_agent billing`. */
  name: string;
  attributes: Record<string, string>;
}

/**
 * The span shape of a call to `tool` on `agent`. Tools declared inline or by a pack are `execute_tool` spans;
 * tools bridged from an MCP server (origin `mcp`) carry the MCP conventions (`mcp.method.name: tools/call`) too.
 *
 * Delegation hook: a tool whose origin kind is `delegate` (another agent or a text model answering the call) is
 * traced as `invoke_agent {tool}`, the GenAI convention for one agent calling another. The engineer adding
 * `delegate` tools only needs to stamp `origin: { kind: "delegate", file: <target> }`; nothing here changes.
 */
export function toolSpanShape(tool: string, agent: LoadedAgent | undefined): ToolSpanShape {
  const origin = agent?.tools.find((t) => t.name === tool)?.origin;
  const kind = origin?.kind as string | undefined;
  if (kind === "delegate")
    return {
      name: `invoke_agent ${tool}`,
      attributes: {
        [GenAi.operationName]: "invoke_agent",
        [GenAi.toolName]: tool,
        [GenAi.toolType]: "function",
        ...(origin?.file ? { [GenAi.agentName]: origin.file } : {}),
      },
    };
  if (kind === "mcp")
    return {
      name: `tools/call ${tool}`,
      attributes: {
        [GenAi.operationName]: "execute_tool",
        [GenAi.toolName]: tool,
        [GenAi.toolType]: "extension",
        [GenAi.mcpMethod]: "tools/call",
        [Parley.mcpSide]: "client",
        ...(origin?.file ? { [Parley.mcpServer]: origin.file } : {}),
      },
    };
  return {
    name: `execute_tool ${tool}`,
    attributes: {
      [GenAi.operationName]: "execute_tool",
      [GenAi.toolName]: tool,
      [GenAi.toolType]: "function",
    },
  };
}
