import type { ApprovalDecision, ApprovalRequest, Approver } from "../approver.ts";

/** An `onApproval` hook: answers with a boolean or a full decision, at once or later. */
export type OnApproval = (
  request: ApprovalRequest,
) => boolean | ApprovalDecision | Promise<boolean | ApprovalDecision>;

/**
 * Decides approvals in code (the agent's `onApproval` hook).
 *
 * @example
 * codeApprover(({ arguments: args }) => (args as { amount: number }).amount < 500)
 */
export function codeApprover(onApproval: OnApproval, name = "code"): Approver {
  return {
    name,
    async ask(request) {
      const answer = await onApproval(request);
      return typeof answer === "boolean" ? { approved: answer } : answer;
    },
  };
}
