import type { Approver } from "../approval/approver.ts";
import type { AuditLog } from "../approval/audit-log.ts";
import type { ApprovalSettings } from "../approval/policy.ts";
import type {
  DurationInput,
  ToolDefinition,
  ToolFillerOptions,
  ToolLogger,
} from "../tool/index.ts";
import type { ApprovalFillerOptions } from "./filler-plan.ts";

/** How a session's ToolScheduler is set up. `startSession` fills most of it from the agent file. */
export interface ToolSchedulerOptions {
  tools: readonly ToolDefinition[];
  /** Written to the audit log and sent to approvers. Default: the host's `sessionId` (the Realtime session id). */
  sessionId?: string;
  /** The persona's language ("en", "fr-FR"): picks per-language filler lines and the language of generated ones. */
  language?: string;
  /** Agent-wide filler defaults; each tool's `filler` overrides them. */
  filler?: ToolFillerOptions | false;
  /** What is said while an approval is pending. Default: a generated "waiting for confirmation" line. */
  approvalFiller?: ApprovalFillerOptions | false;
  /** The agent's approval policy (the agent file's `approval:`). */
  approval?: ApprovalSettings;
  /** Default: none, so every approval is denied (`deny`). */
  approvers?: Approver[];
  /** A file path (JSON lines) or an AuditLog. A path is opened by the scheduler and closed by `close()`. */
  auditLog?: string | AuditLog;
  /** Default per-tool timeout (30s). */
  timeout?: DurationInput;
  /** Calls allowed to run at once in the session, all tools together. Default unlimited. */
  maxConcurrentCalls?: number;
  log?: ToolLogger;
  /** Wall clock (epoch ms) for audit times; the host's clock measures durations. */
  wallNow?: () => number;
}
