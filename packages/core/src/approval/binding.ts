import { createHash } from "node:crypto";
import { canonicalJson } from "../scheduler/duplicates.ts";
import type { ApprovalRequest } from "./approver.ts";

/**
 * What a decision must name so that a signature made for one request cannot decide another: the approval id, the
 * call id, the tool and a digest of the (redacted) arguments. The webhook payload carries these fields; a callback
 * body must echo them next to its decision, and the signature covers the body.
 */
export interface CallBinding {
  id: string;
  call_id: string;
  tool: string;
  args_digest: string;
}

/** `sha256:<hex>` of the arguments as canonical JSON (keys sorted), so key order does not matter. */
export function argsDigest(args: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(args)).digest("hex")}`;
}

export function bindingOf(
  request: Pick<ApprovalRequest, "id" | "callId" | "tool" | "arguments">,
): CallBinding {
  return {
    id: request.id,
    call_id: request.callId,
    tool: request.tool,
    args_digest: argsDigest(request.arguments),
  };
}

/** The first binding field `body` lacks or gets wrong, or undefined when the body names exactly this call. */
export function bindingMismatch(body: unknown, expected: CallBinding): string | undefined {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  for (const key of ["id", "call_id", "tool", "args_digest"] as const) {
    if (b[key] !== expected[key])
      return b[key] === undefined ? `missing "${key}"` : `"${key}" names another request`;
  }
  return undefined;
}

/**
 * A callback body for `payload` (the webhook's `approval.requested` body): its binding plus the decision.
 *
 * @example
 * const body = JSON.stringify(callbackBody(payload, { decision: "approve", by: "alice" }));
 * await fetch(payload.callback_url, { method: "POST", headers: signedHeaders(secret, `msg_${randomUUID()}`, body), body });
 */
export function callbackBody(
  payload: CallBinding,
  decision:
    | { decision: "approve" | "deny" | "pending"; reason?: string; by?: string }
    | { approved: boolean; reason?: string; by?: string },
): Record<string, unknown> {
  return {
    id: payload.id,
    call_id: payload.call_id,
    tool: payload.tool,
    args_digest: payload.args_digest,
    ...decision,
  };
}
