import { randomUUID } from "node:crypto";
import type { Clock } from "../clock/index.ts";
import { LazyMap } from "../collections/lazy.ts";
import { redact } from "../log/redact.ts";
import type { SchedulerEvent } from "../scheduler/events.ts";
import type { Approver } from "./approver.ts";
import { denyApprover } from "./approvers/deny.ts";
import type { AuditLog } from "./audit-log.ts";
import { askApprover, type GateResult } from "./gate.ts";
import type { CompiledApprovalRule } from "./policy.ts";

/** One call (function or MCP) that a rule applies to. */
export interface ApprovalSubject {
  kind: "function" | "mcp";
  callId: string;
  tool: string;
  serverLabel?: string;
  args: unknown;
  /** Aborts when the call goes away (interruption, session end). */
  signal: AbortSignal;
}

/** The verdict for one call, after auditing. */
export type Verdict =
  | { approved: true }
  | { approved: false; timedOut: boolean; reason: string }
  | { cancelled: true };

/**
 * Where approvals are decided for one session: picks the approver, applies the timeout, writes the audit line and
 * emits `approval.requested` / `approval.decided`. Shared by function calls and the API's MCP approval requests.
 */
export class ApprovalDesk {
  readonly #approvers = new LazyMap<string, Approver>();
  readonly #defaultName: string;
  readonly #clock: Clock;
  readonly #sessionId: string;
  readonly #audit: AuditLog | undefined;
  readonly #emit: (event: SchedulerEvent) => void;
  readonly #wallNow: () => number;

  constructor(options: {
    approvers: Approver[];
    defaultApprover?: string | undefined;
    clock: Clock;
    sessionId: string;
    audit?: AuditLog | undefined;
    emit: (event: SchedulerEvent) => void;
    wallNow?: (() => number) | undefined;
  }) {
    for (const a of options.approvers) this.#approvers.set(a.name, a);
    if (!this.#approvers.has("deny")) this.#approvers.set("deny", denyApprover());
    this.#defaultName = options.defaultApprover ?? options.approvers[0]?.name ?? "deny";
    this.#clock = options.clock;
    this.#sessionId = options.sessionId;
    this.#audit = options.audit;
    this.#emit = options.emit;
    this.#wallNow = options.wallNow ?? Date.now;
  }

  /** True when an approver called `name` (or the default, for undefined) is configured. */
  has(name: string | undefined): boolean {
    return this.#find(name) !== undefined;
  }

  /**
   * The approver called `name` (the default approver when undefined). A name nobody configured gets a `deny`
   * approver that says so: a call is never run unasked because of a typo in an approver's name.
   */
  approver(name: string | undefined): Approver {
    const wanted = name ?? this.#defaultName;
    return (
      this.#find(name) ??
      denyApprover(
        `approver "${wanted}" is not configured (configured: ${[...this.#approvers.keys()].join(", ")})`,
      )
    );
  }

  #find(name: string | undefined): Approver | undefined {
    const wanted = name ?? this.#defaultName;
    // "console" is what agent files may call the terminal approver.
    return (
      this.#approvers.get(wanted) ??
      (wanted === "console" ? this.#approvers.get("terminal") : undefined)
    );
  }

  /** Records that `subject` runs without asking because its rule's condition did not match. */
  pass(subject: ApprovalSubject): void {
    this.#record(subject, true, "policy", "approval condition not met", undefined);
  }

  /** Asks the rule's approver about `subject` (`reason`: why the rule applies) and waits, at most the rule's timeout. */
  async ask(
    subject: ApprovalSubject,
    rule: CompiledApprovalRule,
    reason: string,
  ): Promise<Verdict> {
    const approver = this.approver(rule.approver);
    const args = redact(subject.args);
    this.#emit({
      type: "approval.requested",
      callId: subject.callId,
      tool: subject.tool,
      kind: subject.kind,
      approver: approver.name,
      arguments: args,
      reason,
      at: this.#clock.now(),
    });
    const result: GateResult = await askApprover(
      approver,
      {
        id: `apr_${randomUUID()}`,
        kind: subject.kind,
        tool: subject.tool,
        ...(subject.serverLabel ? { serverLabel: subject.serverLabel } : {}),
        callId: subject.callId,
        sessionId: this.#sessionId,
        arguments: args,
        reason,
      },
      {
        timeoutMs: rule.timeoutMs,
        onTimeout: rule.onTimeout,
        clock: this.#clock,
        callSignal: subject.signal,
        wallNow: this.#wallNow,
      },
    );
    if (result.outcome === "cancelled") return { cancelled: true };
    const approverName = result.outcome === "timeout" ? "timeout" : result.approver;
    const by = result.outcome === "decided" ? result.by : undefined;
    this.#record(subject, result.approved, approverName, result.reason, by);
    this.#emit({
      type: "approval.decided",
      callId: subject.callId,
      tool: subject.tool,
      kind: subject.kind,
      approved: result.approved,
      approver: approverName,
      reason: result.reason,
      at: this.#clock.now(),
    });
    if (result.approved) return { approved: true };
    return {
      approved: false,
      timedOut: result.outcome === "timeout",
      reason: result.reason ?? `the ${approverName} approver declined`,
    };
  }

  #record(
    subject: ApprovalSubject,
    approved: boolean,
    approver: string,
    reason: string | undefined,
    by: string | undefined,
  ): void {
    this.#audit?.append({
      time: new Date(this.#wallNow()).toISOString(),
      session: this.#sessionId,
      call_id: subject.callId,
      kind: subject.kind,
      tool: subject.tool,
      ...(subject.serverLabel ? { server_label: subject.serverLabel } : {}),
      arguments: subject.args,
      decision: approved ? "approved" : "rejected",
      approver,
      ...(by ? { by } : {}),
      ...(reason ? { reason } : {}),
    });
  }
}
