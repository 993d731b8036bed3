import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type {
  AnyToolDefinition,
  JsonSchema,
  ToolApprovalOption,
  ToolContext,
} from "@parley/core/pack";
import type { McpBridgeSettings } from "./options.ts";

const INVALID_NAME_CHARS = /[^a-zA-Z0-9_-]/g;

/** The function name the model sees: prefixed, with characters the Realtime API refuses replaced by "_". */
export function exposedName(mcpName: string, prefix = ""): string {
  return `${prefix}${mcpName}`.replace(INVALID_NAME_CHARS, "_").slice(0, 64);
}

/** Function parameters from an MCP inputSchema: the JSON Schema itself, minus keys the Realtime API does not take. */
export function toParameters(inputSchema: Tool["inputSchema"]): JsonSchema {
  const { $schema: _drop, ...rest } = inputSchema as JsonSchema;
  return { ...rest, type: "object", properties: (rest.properties as JsonSchema | undefined) ?? {} };
}

/**
 * Approval of a bridged tool: the agent file's per-tool rule, then the server-wide policy, then the server's
 * own hints (a tool that says it is destructive needs approval; a read-only one does not).
 */
export function approvalFor(
  tool: Tool,
  settings: McpBridgeSettings,
): ToolApprovalOption | undefined {
  const own = settings.tools?.[tool.name]?.approval;
  if (own !== undefined) return own;
  const policy = settings.approval;
  if (policy === "always" || policy === "never") return policy;
  if (policy?.always?.includes(tool.name)) return "always";
  if (policy?.never?.includes(tool.name)) return "never";
  if (tool.annotations?.readOnlyHint === true) return "never";
  if (tool.annotations?.destructiveHint === true) return "always";
  return undefined;
}

/** What the model gets back: structured content when the server gives it, otherwise the text parts joined. */
export function toOutput(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  return contentText(result);
}

export function contentText(result: CallToolResult): string {
  return (result.content ?? [])
    .map((part) => {
      switch (part.type) {
        case "text":
          return part.text;
        case "resource":
          return "text" in part.resource ? part.resource.text : `[resource ${part.resource.uri}]`;
        case "resource_link":
          return `[${part.name}: ${part.uri}]`;
        default:
          return `[${part.type}]`;
      }
    })
    .join("\n");
}

/** Spoken progress from an MCP progress notification: its message, else a percentage when the total is known. */
export function progressMessage(p: {
  progress: number;
  total?: number;
  message?: string;
}): string | undefined {
  if (p.message) return p.message;
  if (p.total) return `${Math.round((p.progress / p.total) * 100)}% done`;
  return undefined;
}

/** Builds the ToolDefinition of one MCP tool; `call` performs the tools/call through the bridge's client. */
export function toToolDefinition(
  tool: Tool,
  settings: McpBridgeSettings,
  call: (name: string, args: Record<string, unknown>, ctx: ToolContext) => Promise<unknown>,
): AnyToolDefinition {
  const override = settings.tools?.[tool.name] ?? {};
  const definition: AnyToolDefinition = {
    name: exposedName(tool.name, settings.prefix),
    description: override.description ?? tool.description ?? tool.title ?? tool.name,
    parameters: toParameters(tool.inputSchema),
    run: (args: Record<string, unknown>, ctx: ToolContext) => call(tool.name, args ?? {}, ctx),
    origin: { kind: "mcp", file: settings.label },
  };
  const approval = approvalFor(tool, settings);
  if (approval !== undefined) definition.approval = approval;
  if (override.timeout !== undefined) definition.timeout = override.timeout;
  if (override.filler !== undefined) definition.filler = override.filler;
  if (override.onInterrupt !== undefined) definition.onInterrupt = override.onInterrupt;
  return definition;
}
