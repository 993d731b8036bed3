import type { ApprovalDecision, ApprovalRequest, Approver } from "../approver.ts";

/** An `onApproval` hook: answers with a boolean or a full decision, at once or later. */
export type OnApproval = (
  request: ApprovalRequest,
) => boolean | ApprovalDecision | Promise<boolean | ApprovalDecision>;

/**
 * Only `true` or `{ approved: true }` approve. Anything else (`undefined` from a hook that forgot to return, a
 * truthy string, `{ approved: "yes" }`) is a denial that says why: approvals fail closed.
 */
function decisionFrom(answer: unknown, name: string): ApprovalDecision {
  if (typeof answer === "boolean") return { approved: answer };
  if (
    answer &&
    typeof answer === "object" &&
    typeof (answer as ApprovalDecision).approved === "boolean"
  ) {
    const { approved, reason, by } = answer as ApprovalDecision;
    return {
      approved,
      ...(typeof reason === "string" ? { reason } : {}),
      ...(typeof by === "string" ? { by } : {}),
    };
  }
  return {
    approved: false,
    reason: `the ${name} approver gave no decision (expected true, false or { approved: boolean })`,
  };
}

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
      const answer: unknown = await onApproval(request);
      return decisionFrom(answer, name);
    },
  };
}
