import { ParleyError } from "@parley/core/pack";

/**
 * A local MCP server problem: `mcp_unreachable` (could not start or connect), `mcp_disconnected` (the
 * connection dropped and could not be re-opened), `mcp_tool_error` (the tool ran and reported an error),
 * `mcp_call_failed` (the request itself failed), `mcp_invalid_tool` (a listed tool's inputSchema does not compile; the
 * tool is left out, the others are offered). `server` is the server's label.
 */
export type McpBridgeErrorCode =
  | "mcp_call_failed"
  | "mcp_closed"
  | "mcp_disconnected"
  | "mcp_invalid_tool"
  | "mcp_list_unbounded"
  | "mcp_refresh_failed"
  | "mcp_tool_error"
  | "mcp_unreachable";

export class McpBridgeError extends ParleyError<McpBridgeErrorCode> {
  readonly server: string;
  constructor(
    code: McpBridgeErrorCode,
    server: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `MCP server "${server}": ${message}`, options);
    this.server = server;
  }
}
