import type { McpBridge } from "./bridge.ts";

// Bridges no agent owns: opened through the pack by a program that gave no `onClose` hook (the loader always gives
// one, so a loaded agent owns its bridges and closes them with `agent.close()`, its loader's `close()` or
// `closeAllAgents()`). Module state of this copy of @parley/tools, not a process-wide registry: whoever opened
// bridges through it closes them through it.
const unowned = new Set<McpBridge>();

export function trackUnowned(bridge: McpBridge): void {
  unowned.add(bridge);
}

/**
 * Closes every MCP bridge opened by the pack without an owner (no `onClose` hook): their stdio child processes would
 * keep the process alive. Bridges of loaded agents are not touched: close the agent (or its loader) instead.
 *
 * @example
 * await closeAllMcpBridges();
 */
export async function closeAllMcpBridges(): Promise<void> {
  const all = [...unowned];
  unowned.clear();
  await Promise.all(all.map((b) => b.close()));
}
