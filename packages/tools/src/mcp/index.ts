// @parley/tools/mcp: bridge local MCP servers (stdio, streamable HTTP) into Parley function tools.
import { mcpBridgePack } from "./pack.ts";

export { McpBridge, type McpBridgeInit, type McpToolsChange } from "./bridge.ts";
export { McpBridgeError, type McpBridgeErrorCode } from "./errors.ts";
export {
  type McpBridgeOptions,
  type McpBridgeSettings,
  mcpBridgeOptionsSchema,
  mcpToolOverrideSchema,
} from "./options.ts";
export { closeAllMcpBridges } from "./registry.ts";
export { mcpBridgePack };
export default mcpBridgePack;
