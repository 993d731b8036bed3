import type { McpBridge } from "./bridge.ts";

// Bridges opened by packs whose loader gave no `onClose` hook. Kept on globalThis because the loader imports
// pack modules in their own module graph (tsx's tsImport), so a module-level set would not be shared.
const KEY = Symbol.for("parley.mcp.openBridges");
const registry = globalThis as typeof globalThis & { [KEY]?: Set<McpBridge> };

export function trackUntilClosed(bridge: McpBridge): void {
  registry[KEY] ??= new Set();
  registry[KEY].add(bridge);
}

/** The bridge was closed by its agent: stop holding it, or reloads (`agent dev`) would pile closed bridges up. */
export function untrack(bridge: McpBridge): void {
  registry[KEY]?.delete(bridge);
}

/**
 * Closes every MCP bridge opened by a pack without an `onClose` hook (their stdio child processes would keep
 * the process alive). The CLI calls it before exiting.
 *
 * @example
 * await closeAllMcpBridges();
 */
export async function closeAllMcpBridges(): Promise<void> {
  const open = registry[KEY];
  if (!open) return;
  const all = [...open];
  open.clear();
  await Promise.all(all.map((b) => b.close()));
}
