import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { RealtimeToolsConfigUnion } from "openai/resources/realtime/realtime";

/** A session tool of `type: "mcp"`, as the session holds it (GA shape). */
export type McpToolConfig = RealtimeToolsConfigUnion.Mcp;

export interface McpListedTool {
  name: string;
  description?: string | null;
  input_schema: unknown;
  annotations?: unknown;
}

/**
 * The server's side of remote MCP: it is the MCP client (streamable HTTP, `@modelcontextprotocol/sdk`) of each
 * `mcp` tool's `server_url`, sending `authorization` as a bearer token plus the tool's `headers`.
 * One connection per server label per session, opened on first use and closed with the session.
 */
export class McpConnection {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private closed = false;

  constructor(public config: McpToolConfig) {}

  private async connect(): Promise<Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      if (!this.config.server_url)
        throw new Error(
          `mcp tool "${this.config.server_label}": connectors are not simulated; give a server_url`,
        );
      const headers: Record<string, string> = { ...(this.config.headers ?? {}) };
      if (this.config.authorization) headers.Authorization = `Bearer ${this.config.authorization}`;
      // The SDK loads only when a session has an MCP tool (it costs ~300 ms of start-up for everyone else).
      const [{ Client }, { StreamableHTTPClientTransport }] = await Promise.all([
        import("@modelcontextprotocol/sdk/client/index.js"),
        import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
      ]);
      const transport = new StreamableHTTPClientTransport(new URL(this.config.server_url), {
        requestInit: { headers },
      });
      const client = new Client({ name: "parley-local-realtime", version: "0.1.0" });
      await client.connect(transport);
      if (this.closed) {
        // The session ended while connecting: don't keep a client nobody will close.
        await client.close().catch(() => undefined);
        throw new Error(`mcp server "${this.config.server_label}": the session closed`);
      }
      this.client = client;
      return client;
    })();
    try {
      return await this.connecting;
    } catch (error) {
      this.connecting = undefined;
      throw error;
    }
  }

  /** The server's tools, filtered by `allowed_tools`. */
  async listTools(): Promise<McpListedTool[]> {
    const client = await this.connect();
    const { tools } = await client.listTools();
    return tools
      .filter((t) => isAllowed(this.config, t.name))
      .map((t) => ({
        name: t.name,
        description: t.description ?? null,
        input_schema: t.inputSchema,
        annotations: t.annotations ?? null,
      }));
  }

  /** Calls a tool; resolves to its text output, or rejects with the tool's error text. */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<{ output: string; isError: boolean }> {
    const client = await this.connect();
    const result = await client.callTool(
      { name, arguments: args },
      undefined,
      signal ? { signal } : undefined,
    );
    const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
    const output = content
      .map((c) => (c.type === "text" ? (c.text ?? "") : JSON.stringify(c)))
      .join("\n");
    return { output, isError: result.isError === true };
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    await client?.close().catch(() => undefined);
  }
}

export function isAllowed(config: McpToolConfig, tool: string): boolean {
  const allowed = config.allowed_tools;
  if (!allowed) return true;
  if (Array.isArray(allowed)) return allowed.includes(tool);
  return !allowed.tool_names || allowed.tool_names.includes(tool);
}

/** `require_approval` defaults to "always", as in the API. */
export function needsApproval(config: McpToolConfig, tool: string): boolean {
  const rule = config.require_approval ?? "always";
  if (rule === "always") return true;
  if (rule === "never") return false;
  if (rule.never?.tool_names?.includes(tool)) return false;
  // Listed under "always", or in neither list: the API's default is to ask.
  return true;
}
