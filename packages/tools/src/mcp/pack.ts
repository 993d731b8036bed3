import { defineToolPack } from "../pack/define-tool-pack.ts";
import { McpBridge } from "./bridge.ts";
import { mcpBridgeOptionsSchema } from "./options.ts";
import { trackUnowned } from "./registry.ts";

/**
 * `@parley/tools/mcp` as a pack: bridges one local MCP server, given as `options`. Its tools carry the origin
 * `{ kind: "mcp", file: <label> }`. An unreachable server is a load warning (not an error) unless
 * `required: true`; the bridge keeps retrying and announces the tools through `onToolsChanged` once it connects.
 *
 * @example
 * // agent.yaml
 * // tools:
 * //   - use: "@parley/tools/mcp"
 * //     options:
 * //       label: files
 * //       command: node
 * //       args: [./mcp/files-server.js]
 * //       allowedTools: [read_file, list_files]
 * //       tools: { read_file: { filler: { after: 1s, lines: ["Let me open that file."] } } }
 */
export const mcpBridgePack = defineToolPack({
  name: "@parley/tools/mcp",
  version: "0.1.0",
  description:
    "Bridge a local MCP server (stdio or streamable HTTP): its tools run through Parley's scheduler.",
  options: mcpBridgeOptionsSchema,
  tools: async (options, env) => {
    // The agent that loads the pack owns the bridge (closed with it); without an owner, closeAllMcpBridges() ends it.
    const { onClose } = env;
    const bridge: McpBridge = new McpBridge(options, {
      baseDir: env.baseDir,
      ...(onClose ? {} : { onOpen: () => trackUnowned(bridge) }),
    });
    onClose?.(() => bridge.close());
    bridge.onToolsChanged((tools) => env.onToolsChanged?.(tools));
    bridge.onProblem((problem) => env.warn?.(problem.message));
    try {
      return await bridge.connect();
    } catch (error) {
      if (options.required) {
        await bridge.close();
        throw error;
      }
      env.warn?.(
        `${(error as Error).message}; its tools are unavailable until it answers (retrying)`,
      );
      bridge.retryInBackground(options.retryEvery ?? 5000);
      return [];
    }
  },
});
