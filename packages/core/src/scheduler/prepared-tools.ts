import { ParleyError } from "../errors/index.ts";
import type { ToolDefinition } from "../tool/index.ts";
import { type AgentToolDefaults, type PreparedTool, prepareTool } from "./prepare-tool.ts";

/** One tool list prepared under one set of agent defaults: read-only, shared by every scheduler that uses it. */
export interface PreparedTools {
  byName: ReadonlyMap<string, PreparedTool>;
  /** The tools whose calls need an approval (checked against the session's approvers at setup). */
  needApproval: readonly PreparedTool[];
}

interface Entry {
  defaults: AgentToolDefaults;
  prepared: PreparedTools;
}

/** Per tool list (a loaded agent's `tools`, the same array for all its sessions); gone with the list. */
const cache = new WeakMap<readonly ToolDefinition[], Entry[]>();
/** A list is seldom used under more than one set of defaults; a few are kept in case it is. */
const PER_LIST = 4;

const sameDefaults = (a: AgentToolDefaults, b: AgentToolDefaults): boolean =>
  a.filler === b.filler &&
  a.approvalFiller === b.approvalFiller &&
  a.approval === b.approval &&
  a.timeout === b.timeout;

/**
 * The tools prepared (validators, filler plans, approval rules) once per tool list and defaults, so a session's
 * setup does not grow with the agent's tool count. A new list (a reloaded agent, a changed pack) is prepared anew.
 * Throws `duplicate_tool` for two tools of one name, and a tool's own option errors, every time.
 *
 * @example
 * const { byName } = preparedTools(agent.tools, { filler: agent.config.filler });
 */
export function preparedTools(
  tools: readonly ToolDefinition[],
  options: AgentToolDefaults,
): PreparedTools {
  const defaults: AgentToolDefaults = {
    filler: options.filler,
    approvalFiller: options.approvalFiller,
    approval: options.approval,
    timeout: options.timeout,
  };
  const entries = cache.get(tools) ?? [];
  const hit = entries.find((e) => sameDefaults(e.defaults, defaults));
  if (hit) return hit.prepared;
  const byName = new Map<string, PreparedTool>();
  for (const tool of tools) {
    if (byName.has(tool.name))
      throw new ParleyError("duplicate_tool", `two tools are named "${tool.name}"`);
    byName.set(tool.name, prepareTool(tool, defaults));
  }
  const prepared: PreparedTools = {
    byName,
    needApproval: [...byName.values()].filter((t) => t.approval.active),
  };
  cache.set(tools, [{ defaults, prepared }, ...entries].slice(0, PER_LIST));
  return prepared;
}
