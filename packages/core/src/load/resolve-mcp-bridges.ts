import { isBridgedMcp, type McpServerConfig, mcpServerSchema } from "../schema/mcp.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";
import { parseOptions } from "./parse-options.ts";
import { resolvePackUse } from "./resolve-packs.ts";
import type { ResolveContext } from "./resolve-tools.ts";

/** The pack that bridges a local MCP server; resolved by name at load time (core does not depend on @parley/tools). */
export const MCP_BRIDGE_PACK = "@parley/tools/mcp";

/**
 * The tools of the agent's bridged `mcp:` entries (`command:`, or `url:` with `bridge: true`), each loaded as the
 * `@parley/tools/mcp` pack with the entry as its options. Remote entries are left to the compiler (`type: "mcp"`).
 * Entries the schema refuses are skipped here: the full schema reports them.
 */
export async function resolveMcpBridges(
  ctx: ResolveContext,
  raw: Record<string, unknown>,
  env: Record<string, string | undefined>,
): Promise<{ tool: AnyToolDefinition; path: PropertyKey[] }[]> {
  const entries = Array.isArray(raw?.mcp) ? (raw.mcp as unknown[]) : [];
  const out: { tool: AnyToolDefinition; path: PropertyKey[] }[] = [];
  for (const [index, entry] of entries.entries()) {
    const parsed = mcpServerSchema.safeParse(entry, parseOptions());
    if (!parsed.success || !isBridgedMcp(parsed.data)) continue;
    const at = ["mcp", index];
    const tools = await resolvePackUse(
      ctx,
      index,
      { use: MCP_BRIDGE_PACK, options: bridgeOptions(parsed.data) },
      env,
      {
        at,
        use: [...at, parsed.data.command !== undefined ? "command" : "url"],
        options: at,
      },
    );
    for (const tool of tools) out.push({ tool, path: at });
  }
  return out;
}

/** An `mcp:` entry as the bridge pack's options (`authorization` becomes a bearer `Authorization` header). */
export function bridgeOptions(server: McpServerConfig): Record<string, unknown> {
  const { bridge: _bridge, description: _description, authorization, headers, ...rest } = server;
  const allHeaders = { ...headers };
  if (authorization)
    allHeaders.Authorization = /^bearer /i.test(authorization)
      ? authorization
      : `Bearer ${authorization}`;
  return {
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    ...(Object.keys(allHeaders).length ? { headers: allHeaders } : {}),
  };
}
