import type {
  RealtimeFunctionTool,
  RealtimeToolsConfigUnion,
} from "openai/resources/realtime/realtime";
import { z } from "zod";
import type { LoadedHandoff } from "../load/resolve-handoffs.ts";
import type { McpServerConfig } from "../schema/mcp.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";

const jsonSchemas = new WeakMap<object, Record<string, unknown>>();

/** A tool's parameters as JSON Schema (a zod schema is converted once and cached). */
export function parametersJsonSchema(parameters: unknown): Record<string, unknown> {
  // Duck-typed: a handler module imported through tsx may hold its own copy of zod.
  if (parameters && typeof parameters === "object" && "_zod" in parameters) {
    let cached = jsonSchemas.get(parameters);
    if (!cached) {
      const { $schema: _drop, ...rest } = z.toJSONSchema(parameters as z.ZodType, {
        io: "input",
      }) as Record<string, unknown>;
      cached = rest;
      jsonSchemas.set(parameters, cached);
    }
    return cached;
  }
  return (parameters ?? { type: "object", properties: {} }) as Record<string, unknown>;
}

/**
 * The function description the model sees: the tool's description, then its examples as a trailing block
 * (`Examples:` and `- "utterance" → {json}` lines), which the local server's rules model also reads.
 */
export function describeTool(tool: Pick<AnyToolDefinition, "description" | "examples">): string {
  const examples = tool.examples ?? [];
  if (examples.length === 0) return tool.description;
  const lines = examples.map((e) => `- ${JSON.stringify(e.say)} → ${JSON.stringify(e.args)}`);
  return `${tool.description.trimEnd()}\n\nExamples:\n${lines.join("\n")}`;
}

export function functionTool(tool: AnyToolDefinition): RealtimeFunctionTool {
  return {
    type: "function",
    name: tool.name,
    description: describeTool(tool),
    parameters: parametersJsonSchema(tool.parameters),
  };
}

export function handoffTool(handoff: LoadedHandoff): RealtimeFunctionTool {
  return {
    type: "function",
    name: handoff.toolName,
    description: handoff.description,
    parameters: {
      type: "object",
      properties: {
        reason: {
          type: "string",
          description: "Why the conversation is handed over, in one sentence.",
        },
      },
      required: ["reason"],
    },
  };
}

export function mcpTool(server: McpServerConfig): RealtimeToolsConfigUnion.Mcp {
  const out: RealtimeToolsConfigUnion.Mcp = { type: "mcp", server_label: server.label };
  if (server.url) out.server_url = server.url;
  if (server.connector) out.connector_id = server.connector;
  if (server.authorization) out.authorization = server.authorization;
  if (server.headers) out.headers = server.headers;
  if (server.allowedTools) out.allowed_tools = server.allowedTools;
  if (server.description) out.server_description = server.description;
  if (server.approval !== undefined) {
    const a = server.approval;
    out.require_approval =
      typeof a === "string"
        ? a
        : {
            ...(a.always ? { always: { tool_names: a.always } } : {}),
            ...(a.never ? { never: { tool_names: a.never } } : {}),
          };
  }
  return out;
}
