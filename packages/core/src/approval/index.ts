export type { ApprovalDecision, ApprovalRequest, Approver } from "./approver.ts";
export { codeApprover, type OnApproval } from "./approvers/code.ts";
export { denyApprover } from "./approvers/deny.ts";
export { approvalQuestion, type TerminalPrompt, terminalApprover } from "./approvers/terminal.ts";
export {
  type WebhookApprovalPayload,
  type WebhookApproverOptions,
  webhookApprover,
} from "./approvers/webhook.ts";
export { type AuditEntry, AuditLog } from "./audit-log.ts";
export { argsDigest, type CallBinding, callbackBody } from "./binding.ts";
export { ApprovalCallbacks, type ApprovalCallbacksOptions } from "./callbacks.ts";
export {
  ApprovalConditionError,
  type Condition,
  type ConditionScope,
  compileCondition,
} from "./condition.ts";
export { ApprovalError, type ApprovalErrorCode } from "./errors.ts";
export { type ApprovalSettings, DEFAULT_APPROVAL_TIMEOUT_MS } from "./policy.ts";
export {
  SIGNATURE_HEADER,
  type SignatureHeaders,
  signedHeaders,
  TIMESTAMP_HEADER,
  verifySignature,
  WEBHOOK_ID_HEADER,
} from "./signature.ts";
