import type { ApprovalDecision } from "./approver.ts";
import { ApprovalError } from "./errors.ts";

const DECISIONS: Record<string, boolean | "pending"> = {
  approve: true,
  approved: true,
  deny: false,
  denied: false,
  reject: false,
  rejected: false,
  pending: "pending",
};

/**
 * Reads a decision from a webhook response or callback body: `{"decision": "approve" | "deny" | "pending"}` or
 * `{"approved": true | false}`, with optional `reason` and `by`. Returns "pending" when the decision comes later.
 * Anything ambiguous is refused rather than guessed: both fields present and disagreeing
 * (`{"approved": true, "decision": "deny"}`), `approved` that is not a boolean, an unknown `decision`.
 */
export function parseDecisionBody(body: unknown, where: string): ApprovalDecision | "pending" {
  const b = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<
    string,
    unknown
  >;
  const hasApproved = Object.hasOwn(b, "approved");
  const hasDecision = Object.hasOwn(b, "decision");
  const fromApproved = typeof b.approved === "boolean" ? b.approved : undefined;
  const fromDecision =
    typeof b.decision === "string" && Object.hasOwn(DECISIONS, b.decision)
      ? DECISIONS[b.decision]
      : undefined;
  const valid =
    (hasApproved || hasDecision) &&
    (!hasApproved || fromApproved !== undefined) &&
    (!hasDecision || fromDecision !== undefined) &&
    (!hasApproved || !hasDecision || fromApproved === fromDecision);
  if (!valid) {
    throw new ApprovalError(
      "invalid_approval_response",
      `${where}: expected exactly one of {"decision": "approve" | "deny" | "pending"} or {"approved": boolean}, got ${describe(body)}`,
    );
  }
  const verdict = hasDecision ? fromDecision : fromApproved;
  if (verdict === "pending") return "pending";
  return {
    approved: verdict === true,
    ...(typeof b.reason === "string" ? { reason: b.reason } : {}),
    ...(typeof b.by === "string" ? { by: b.by } : {}),
  };
}

/** Names the fields, never their values: the body may carry anything, and this message reaches logs and the model. */
function describe(body: unknown): string {
  if (!body || typeof body !== "object" || Array.isArray(body))
    return Array.isArray(body) ? "an array" : typeof body;
  const keys = Object.keys(body).slice(0, 10);
  return keys.length === 0
    ? "an empty object"
    : `an object with ${keys.map((k) => JSON.stringify(k.slice(0, 40))).join(", ")}`;
}
