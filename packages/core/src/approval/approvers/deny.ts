import type { Approver } from "../approver.ts";

/**
 * Rejects every request: the default when no approver is configured, so a tool that needs approval never runs unasked.
 *
 * @example
 * new ToolScheduler(host, { tools, approvers: [denyApprover("approvals are off in production")] })
 */
export function denyApprover(reason = "no approver is configured for this agent"): Approver {
  return { name: "deny", ask: async () => ({ approved: false, reason }) };
}
