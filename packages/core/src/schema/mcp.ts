import type { RealtimeToolsConfigUnion } from "openai/resources/realtime/realtime";
import { z } from "zod";
import { approvalSchema } from "./approval.ts";
import { durationSchema } from "./duration.ts";
import { fillerSchema } from "./filler.ts";

/** Connectors OpenAI hosts (use `connector:` instead of `url:`). */
export const MCP_CONNECTORS = [
  "connector_dropbox",
  "connector_gmail",
  "connector_googlecalendar",
  "connector_googledrive",
  "connector_microsoftteams",
  "connector_outlookcalendar",
  "connector_outlookemail",
  "connector_sharepoint",
  // Checked against the openai package's own list, so a renamed connector fails typecheck.
] as const satisfies readonly NonNullable<RealtimeToolsConfigUnion.Mcp["connector_id"]>[];

const toolNames = z.array(z.string().min(1));

const approvalRules = z
  .union([
    z.enum(["never", "always"]),
    z.strictObject({ always: toolNames.optional(), never: toolNames.optional() }),
  ])
  .optional()
  .meta({ description: "never | always | { always: [tools], never: [tools] }." });

/** Per-tool settings of a bridged server's tool (by MCP tool name); the bridge pack's `tools:` option too. */
export const bridgedToolOverrideSchema = z.strictObject({
  description: z.string().min(1).optional(),
  timeout: durationSchema.optional(),
  filler: z.union([z.literal(false), fillerSchema]).optional(),
  approval: approvalSchema.optional(),
  onInterrupt: z.enum(["continue", "cancel"]).optional(),
});

/** Fields that only a bridged server (`command:`, or `url:` with `bridge: true`) takes. */
const BRIDGE_ONLY = ["tools", "prefix", "required", "connectTimeout", "retryEvery"] as const;
/** Fields that only a spawned (stdio) server takes. */
const STDIO_ONLY = ["args", "env", "cwd"] as const;

/**
 * An MCP server. Remote (`url:` or `connector:`): the Realtime API calls it itself (a `type: "mcp"` session tool).
 * Local (`command:` to spawn over stdio, or `url:` with `bridge: true` for a server the API cannot reach): Parley
 * bridges it with the `@parley/tools/mcp` pack and its tools run through the scheduler. Credentials come from
 * `${env:…}`, never literals.
 */
export const mcpServerSchema = z
  .strictObject({
    label: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/, {
        error: "a label is 1–64 letters, digits, underscores or dashes",
      })
      .meta({ description: "The server's label (server_label)." }),
    url: z.url({ error: "expected an http(s) URL" }).optional(),
    connector: z.enum(MCP_CONNECTORS).optional(),
    command: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "A local server to spawn (stdio); Parley bridges its tools." }),
    args: z.array(z.string()).optional().meta({ description: "Arguments of command." }),
    env: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: "Extra environment for the spawned server." }),
    cwd: z
      .string()
      .optional()
      .meta({ description: "Working directory of command, relative to the agent file." }),
    bridge: z.boolean().optional().meta({
      description: "true: Parley connects to url itself (a server the Realtime API cannot reach).",
    }),
    authorization: z
      .string()
      .optional()
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the agent file's own ${env:…} syntax, not a template
      .meta({ description: 'OAuth token or API key, written as "${env:NAME}".' }),
    headers: z.record(z.string(), z.string()).optional(),
    allowedTools: toolNames.optional().meta({ description: "Only these tools of the server." }),
    description: z.string().optional(),
    approval: approvalRules,
    tools: z
      .record(z.string(), bridgedToolOverrideSchema)
      .optional()
      .meta({ description: "Bridged servers: per-tool overrides by MCP tool name." }),
    prefix: z
      .string()
      .regex(/^[a-zA-Z0-9_-]*$/)
      .optional()
      .meta({ description: "Bridged servers: prepended to tool names." }),
    required: z
      .boolean()
      .optional()
      .meta({ description: "Bridged servers: an unreachable server fails loading." }),
    connectTimeout: durationSchema.optional(),
    retryEvery: durationSchema.optional(),
  })
  .superRefine((s, ctx) => {
    const given = [s.url, s.connector, s.command].filter((v) => v !== undefined).length;
    if (given !== 1)
      ctx.addIssue({
        code: "custom",
        message: "give exactly one of url, connector or command",
        path: given === 0 ? ["label"] : [s.command !== undefined ? "command" : "connector"],
      });
    if (s.bridge && s.url === undefined && s.command === undefined)
      ctx.addIssue({
        code: "custom",
        message:
          "bridge: true needs a url (a connector runs at OpenAI; a command is always bridged)",
        path: ["bridge"],
      });
    const bridged = isBridgedMcp(s);
    for (const key of BRIDGE_ONLY)
      if (s[key] !== undefined && !bridged)
        ctx.addIssue({
          code: "custom",
          message: `${key} applies only to a bridged server (command:, or url: with bridge: true)`,
          path: [key],
        });
    for (const key of STDIO_ONLY)
      if (s[key] !== undefined && s.command === undefined)
        ctx.addIssue({
          code: "custom",
          message: `${key} applies only to a spawned server (command:)`,
          path: [key],
        });
  });

export type McpServerConfig = z.output<typeof mcpServerSchema>;

/** True for a server Parley bridges itself (`command:`, or `url:` with `bridge: true`), not the Realtime API. */
export function isBridgedMcp(server: { command?: unknown; bridge?: boolean | undefined }): boolean {
  return server.command !== undefined || server.bridge === true;
}
