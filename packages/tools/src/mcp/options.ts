import { bridgedToolOverrideSchema, durationSchema } from "@parley/core/pack";
import { z } from "zod";

const toolNames = z.array(z.string().min(1));

/**
 * Per-tool settings of a bridged tool (applied by the bridge, so they work even before the server answers):
 * the same shape as an agent file's `mcp: [{ tools: … }]`, which the loader passes through.
 */
export const mcpToolOverrideSchema = bridgedToolOverrideSchema;

/**
 * A local MCP server to bridge: a command to spawn (stdio) or a streamable HTTP URL the Realtime API cannot
 * reach (localhost, a private network). Its tools become function tools run by Parley's scheduler.
 */
export const mcpBridgeOptionsSchema = z
  .strictObject({
    label: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, {
      error: "a label is 1–64 letters, digits, underscores or dashes",
    }),
    command: z.string().min(1).optional().describe("Program to spawn (stdio transport)"),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional().describe("Extra environment for the process"),
    cwd: z
      .string()
      .optional()
      .describe("Working directory, relative to the agent file (default: its folder)"),
    url: z
      .url({ error: "expected an http(s) URL" })
      .optional()
      .describe("Streamable HTTP endpoint"),
    headers: z.record(z.string(), z.string()).optional(),
    allowedTools: toolNames.optional().describe("Only these tools of the server"),
    approval: z
      .union([
        z.enum(["never", "always"]),
        z.strictObject({ always: toolNames.optional(), never: toolNames.optional() }),
      ])
      .optional(),
    tools: z
      .record(z.string(), mcpToolOverrideSchema)
      .optional()
      .describe("Per-tool overrides, by MCP tool name"),
    prefix: z
      .string()
      .regex(/^[a-zA-Z0-9_-]*$/)
      .optional()
      .describe('Prepended to tool names ("files_")'),
    connectTimeout: durationSchema.optional(),
    /** true: an unreachable server fails loading; false (default): a warning, and the bridge keeps retrying. */
    required: z.boolean().optional(),
    retryEvery: durationSchema.optional(),
  })
  .refine((o) => (o.command === undefined) !== (o.url === undefined), {
    error: "give exactly one of command (stdio) or url (streamable HTTP)",
  });

export type McpBridgeOptions = z.input<typeof mcpBridgeOptionsSchema>;
export type McpBridgeSettings = z.output<typeof mcpBridgeOptionsSchema>;
