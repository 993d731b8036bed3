import type { ResponseOutputItem } from "openai/resources/responses/responses";
import type { IdGenerator } from "../ids.ts";
import { McpConnection, type McpToolConfig, needsApproval } from "../mcp/client.ts";
import type { ParamSchema } from "../models/rules/arguments.ts";
import { parseExamples } from "../models/rules/examples.ts";
import type { ModelTool } from "../models/types.ts";

type Json = Record<string, unknown>;

/**
 * A Responses request's `type: "mcp"` tools, run as the API runs them: the server is the MCP client of each
 * `server_url` (streamable HTTP), lists its tools (an `mcp_list_tools` output item per server) and calls them itself
 * (`mcp_call` items with the server's output), or asks first (`mcp_approval_request`) when `require_approval` says so
 * (default "always", as in the API). Connections last one request: the endpoint keeps nothing (store: false).
 */
export class ResponsesMcp {
  readonly #connections = new Map<string, McpConnection>();
  readonly listed: ResponseOutputItem.McpListTools[] = [];
  #tools: ModelTool[] = [];

  /** Connects to each `mcp` tool's server and lists its tools (a failed listing is an item with `error`). */
  static async open(tools: readonly unknown[], ids: IdGenerator): Promise<ResponsesMcp> {
    const mcp = new ResponsesMcp();
    const configs = (tools as Json[]).filter((t) => t.type === "mcp") as unknown as McpToolConfig[];
    for (const config of configs) {
      const conn = new McpConnection(config);
      mcp.#connections.set(config.server_label, conn);
      const item: ResponseOutputItem.McpListTools = {
        id: ids.next("mcpl"),
        type: "mcp_list_tools",
        server_label: config.server_label,
        tools: [],
      };
      try {
        item.tools = await conn.listTools();
      } catch (error) {
        item.error = error instanceof Error ? error.message : String(error);
      }
      mcp.listed.push(item);
      for (const t of item.tools) {
        const description = t.description ?? "";
        mcp.#tools.push({
          kind: "mcp",
          name: t.name,
          serverLabel: config.server_label,
          description,
          parameters: t.input_schema as ParamSchema | undefined,
          examples: parseExamples(description),
        });
      }
    }
    return mcp;
  }

  /** The listed tools, as the model sees them. */
  get tools(): readonly ModelTool[] {
    return this.#tools;
  }

  /** The MCP tool of this name, if a server listed one. */
  tool(name: string): ModelTool | undefined {
    return this.#tools.find((t) => t.name === name);
  }

  needsApproval(label: string, name: string): boolean {
    const conn = this.#connections.get(label);
    return conn ? needsApproval(conn.config, name) : true;
  }

  /** Runs one call on the real server: an `mcp_call` item with its output, or its error. */
  async call(
    label: string,
    name: string,
    args: string,
    ids: IdGenerator,
    signal: AbortSignal,
    approvalRequestId: string | null = null,
  ): Promise<ResponseOutputItem.McpCall> {
    const item: ResponseOutputItem.McpCall = {
      id: ids.next("mcp"),
      type: "mcp_call",
      server_label: label,
      name,
      arguments: args,
      approval_request_id: approvalRequestId,
      output: null,
      error: null,
      status: "completed",
    };
    const conn = this.#connections.get(label);
    try {
      if (!conn) throw new Error(`no mcp tool with server_label "${label}" in this request`);
      const result = await conn.callTool(name, args ? (JSON.parse(args) as Json) : {}, signal);
      if (result.isError) {
        item.error = result.output;
        item.status = "failed";
      } else item.output = result.output;
    } catch (error) {
      item.error = error instanceof Error ? error.message : String(error);
      item.status = "failed";
    }
    return item;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#connections.values()].map((c) => c.close()));
  }
}
