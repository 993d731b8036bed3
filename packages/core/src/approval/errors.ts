import { ParleyError } from "../errors/index.ts";

export type ApprovalErrorCode =
  | "approval_callbacks_not_listening"
  | "approval_webhook_failed"
  | "approval_webhook_pending"
  | "invalid_approval_response";

/** An approver could not give a decision (webhook unreachable, bad response, unknown approver name). */
export class ApprovalError extends ParleyError<ApprovalErrorCode> {}
