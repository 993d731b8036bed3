/** One question to an approver: may this call run? */
export interface ApprovalRequest {
  /** Unique per request; webhook callbacks refer to it. */
  id: string;
  /** `function`: one of the agent's tools; `mcp`: a remote MCP tool the Realtime API wants to call. */
  kind: "function" | "mcp";
  tool: string;
  /** For MCP requests: the server's label. */
  serverLabel?: string;
  /** The function `call_id`, or the `mcp_approval_request` item id. */
  callId: string;
  sessionId: string;
  /** Parsed arguments, secrets redacted. */
  arguments: unknown;
  /** Why approval is needed (the rule that matched), for the person deciding. */
  reason: string;
  /** When the scheduler stops waiting (epoch milliseconds). */
  expiresAt: number;
  /** Aborted when the scheduler stops waiting (timeout, interruption, session end). */
  signal: AbortSignal;
}

/** An approver's answer. `reason` is told to the model when the call is rejected. */
export interface ApprovalDecision {
  approved: boolean;
  reason?: string;
  /** Who decided (a user name, a reviewer id), written to the audit log. */
  by?: string;
}

/**
 * Something that decides approvals: the terminal, a webhook, code, or deny.
 *
 * @example
 * const approver: Approver = { name: "always-yes", ask: async () => ({ approved: true }) };
 */
export interface Approver {
  /** The name agent files use to pick it (`approval: { approver: "webhook" }`). */
  readonly name: string;
  ask(request: ApprovalRequest): Promise<ApprovalDecision>;
}
