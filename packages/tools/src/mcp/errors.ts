import { ParleyError } from "@parley/core";

/**
 * A local MCP server problem: `mcp_unreachable` (could not start or connect), `mcp_disconnected` (the
 * connection dropped and could not be re-opened), `mcp_tool_error` (the tool ran and reported an error),
 * `mcp_call_failed` (the request itself failed), `mcp_invalid_tool` (a listed tool's inputSchema does not compile; the
 * tool is left out, the others are offered). `server` is the server's label.
 */
export class McpBridgeError extends ParleyError {
  readonly server: string;
  constructor(code: string, server: string, message: string, options?: { cause?: unknown }) {
    super(code, `MCP server "${server}": ${message}`, options);
    this.server = server;
  }
}
