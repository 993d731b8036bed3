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
 * tools bridged from an MCP server (origin `mcp`) carry the MCP conventions (`mcp.method.name: tools/call`) too;
 * a `delegate` tool (a text model answers the call, docs/delegation.md) is `invoke_agent {tool}`, the GenAI
 * convention for handing work to another agent: its model requests and nested tool calls are its children
 * (ToolSpans). A new kind of tool gets its shape here, and nothing else in telemetry changes.
 */
export function toolSpanShape(tool: string, agent: LoadedAgent | undefined): ToolSpanShape {
  const definition = agent?.tools.find((t) => t.name === tool);
  const origin = definition?.origin;
  if (definition?.delegate)
    return {
      name: `invoke_agent ${tool}`,
      attributes: {
        [GenAi.operationName]: "invoke_agent",
        [GenAi.agentName]: tool,
        [GenAi.toolName]: tool,
        [GenAi.toolType]: "function",
        [GenAi.requestModel]: definition.delegate.model,
      },
    };
  if (origin?.kind === "mcp")
    return {
      name: `tools/call ${tool}`,
      attributes: {
        [GenAi.operationName]: "execute_tool",
        [GenAi.toolName]: tool,
        [GenAi.toolType]: "extension",
        [GenAi.mcpMethod]: "tools/call",
        [Parley.mcpSide]: "client",
        ...(origin.file ? { [Parley.mcpServer]: origin.file } : {}),
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
