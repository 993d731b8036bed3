import { ParleyError } from "../errors/index.ts";

/** An approver could not give a decision (webhook unreachable, bad response, unknown approver name). */
export class ApprovalError extends ParleyError {}
