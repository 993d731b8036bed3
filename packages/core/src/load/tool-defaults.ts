import type { AgentConfig } from "../schema/agent.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";

/**
 * Folds the agent-wide `filler` and `approval` policy into each tool, so the scheduler reads one place:
 * - filler: the agent's defaults under the tool's own options (`false` on either side turns fillers off);
 * - approval: `approval.tools[name]`, else the tool's own rule, else `approval.default`; a conditional rule
 *   inherits the policy's `timeout`, `onTimeout` and `approver` when it does not set them.
 */
export function applyToolDefaults(tool: AnyToolDefinition, config: AgentConfig): AnyToolDefinition {
  const out: AnyToolDefinition = { ...tool };
  const agentFiller = config.filler;
  if (tool.filler === false || (agentFiller === false && tool.filler === undefined))
    out.filler = false;
  else if (agentFiller && typeof agentFiller === "object")
    out.filler = { ...agentFiller, ...(tool.filler ?? {}) };
  const policy = config.approval;
  const rule = policy?.tools?.[tool.name] ?? tool.approval ?? policy?.default;
  if (rule !== undefined) {
    out.approval =
      typeof rule === "object"
        ? {
            ...rule,
            ...(rule.timeout === undefined && policy?.timeout !== undefined
              ? { timeout: policy.timeout }
              : {}),
            ...(rule.onTimeout === undefined && policy?.onTimeout !== undefined
              ? { onTimeout: policy.onTimeout }
              : {}),
            ...(rule.approver === undefined && policy?.approver !== undefined
              ? { approver: policy.approver }
              : {}),
          }
        : rule;
  }
  return out;
}
