import type { ApprovalDecision } from "./approver.ts";
import { ApprovalError } from "./errors.ts";

/**
 * Reads a decision from a webhook response or callback body: `{"decision": "approve" | "deny" | "pending"}` or
 * `{"approved": true | false}`, with optional `reason` and `by`. Returns "pending" when the decision comes later.
 */
export function parseDecisionBody(body: unknown, where: string): ApprovalDecision | "pending" {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const reason = typeof b.reason === "string" ? b.reason : undefined;
    const by = typeof b.by === "string" ? b.by : undefined;
    const extra = {
      ...(reason === undefined ? {} : { reason }),
      ...(by === undefined ? {} : { by }),
    };
    if (typeof b.approved === "boolean") return { approved: b.approved, ...extra };
    switch (b.decision) {
      case "approve":
      case "approved":
        return { approved: true, ...extra };
      case "deny":
      case "denied":
      case "reject":
      case "rejected":
        return { approved: false, ...extra };
      case "pending":
        return "pending";
    }
  }
  throw new ApprovalError(
    "invalid_approval_response",
    `${where}: expected {"decision": "approve" | "deny" | "pending"} or {"approved": boolean}, got ${JSON.stringify(body)?.slice(0, 200)}`,
  );
}
