import { z } from "zod";

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
] as const;

const toolNames = z.array(z.string().min(1));

/** A remote MCP server the Realtime API calls itself. Credentials come from `${env:…}`, never literals. */
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
    authorization: z
      .string()
      .optional()
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the agent file's own ${env:…} syntax, not a template
      .meta({ description: 'OAuth token or API key, written as "${env:NAME}".' }),
    headers: z.record(z.string(), z.string()).optional(),
    allowedTools: toolNames.optional().meta({ description: "Only these tools of the server." }),
    description: z.string().optional(),
    approval: z
      .union([
        z.enum(["never", "always"]),
        z.strictObject({ always: toolNames.optional(), never: toolNames.optional() }),
      ])
      .optional()
      .meta({ description: "never | always | { always: [tools], never: [tools] }." }),
  })
  .refine((s) => (s.url === undefined) !== (s.connector === undefined), {
    error: "give exactly one of url or connector",
  });

export type McpServerConfig = z.output<typeof mcpServerSchema>;
