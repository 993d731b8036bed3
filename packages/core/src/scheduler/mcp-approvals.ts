import { randomBytes } from "node:crypto";
import type { RealtimeMcpApprovalRequest } from "openai/resources/realtime/realtime";
import type { ApprovalDesk } from "../approval/desk.ts";
import {
  type ApprovalSettings,
  type CompiledApprovalRule,
  compileApprovalRule,
  mcpApprovalOption,
} from "../approval/policy.ts";
import { LazyMap, LazySet } from "../collections/lazy.ts";
import type { SchedulerEvent } from "./events.ts";
import type { ApprovalFillerOptions } from "./filler-plan.ts";
import { resolveFillerPlan } from "./filler-plan.ts";
import { type FillerSubject, FillerTimer } from "./fillers.ts";
import type { SchedulerHost } from "./host.ts";
import { parseModelJsonLoose } from "./model-json.ts";

/**
 * Answers the Realtime API's `mcp_approval_request` items with the agent's approval policy: each request gets
 * exactly one `mcp_approval_response` item, then one "answer" request to the response queue.
 */
export class McpApprovals {
  readonly #host: SchedulerHost;
  readonly #desk: ApprovalDesk;
  readonly #settings: ApprovalSettings;
  readonly #options: { language?: string; approvalFiller?: ApprovalFillerOptions | false };
  readonly #emit: (event: SchedulerEvent) => void;
  readonly #rules = new Map<string, CompiledApprovalRule>();
  readonly #pending = new LazyMap<string, { abort: AbortController; fillers?: FillerTimer }>();
  readonly #seen = new LazySet<string>();

  /** MCP approval requests waiting for a decision. */
  get pending(): number {
    return this.#pending.size;
  }

  constructor(
    host: SchedulerHost,
    desk: ApprovalDesk,
    options: {
      approval?: ApprovalSettings;
      language?: string;
      approvalFiller?: ApprovalFillerOptions | false;
    },
    emit: (event: SchedulerEvent) => void,
  ) {
    this.#host = host;
    this.#desk = desk;
    this.#settings = options.approval ?? {};
    this.#options = options;
    this.#emit = emit;
  }

  handle(item: RealtimeMcpApprovalRequest): void {
    if (this.#seen.has(item.id)) return;
    this.#seen.add(item.id);
    const key = `${item.server_label}/${item.name}`;
    let rule = this.#rules.get(key);
    if (!rule) {
      rule = compileApprovalRule(
        mcpApprovalOption(this.#settings, item.server_label, item.name),
        this.#settings,
      );
      this.#rules.set(key, rule);
    }
    const abort = new AbortController();
    const subject = {
      kind: "mcp" as const,
      callId: item.id,
      tool: item.name,
      serverLabel: item.server_label,
      args: parseModelJsonLoose(item.arguments),
      signal: abort.signal,
    };
    const reason = rule.check(subject.args, this.#host.variables);
    if (reason === undefined) {
      if (rule.active) this.#desk.pass(subject);
      this.#finish(item.id, true, undefined);
      return;
    }
    const pending: { abort: AbortController; fillers?: FillerTimer } = { abort };
    this.#pending.set(item.id, pending);
    if (this.#options.approvalFiller !== false) {
      const filler: FillerSubject = {
        id: item.id,
        tool: item.name,
        phase: () => (this.#pending.has(item.id) ? "approval" : undefined),
        takeProgress: () => undefined,
      };
      const plan = {
        ...resolveFillerPlan(undefined, undefined),
        lines: this.#options.approvalFiller?.lines,
        generate: this.#options.approvalFiller?.generate ?? !this.#options.approvalFiller?.lines,
      };
      pending.fillers = new FillerTimer(
        this.#host,
        filler,
        plan,
        "approval",
        this.#options.language,
        this.#emit,
      );
    }
    this.#desk.ask(subject, rule, reason).then(
      (verdict) => {
        // Closed meanwhile: close() already answered it.
        if ("cancelled" in verdict || !this.#pending.has(item.id)) return;
        this.#finish(item.id, verdict.approved, verdict.approved ? undefined : verdict.reason);
      },
      (error: unknown) => {
        if (this.#pending.has(item.id)) this.#finish(item.id, false, String(error));
      },
    );
  }

  /** Denies a request without asking (the session is ending). */
  refuse(item: RealtimeMcpApprovalRequest, reason: string): void {
    if (this.#seen.has(item.id)) return;
    this.#seen.add(item.id);
    this.#finish(item.id, false, reason, false);
  }

  /** Answers every pending request with a denial (no response requested: the session is ending). */
  close(): void {
    for (const [id, pending] of this.#pending) {
      pending.abort.abort(new Error("session closed"));
      this.#finish(id, false, "the session ended before a decision", false);
    }
  }

  /** The request's one `mcp_approval_response`, then (unless the session is ending) one answer request. */
  #finish(id: string, approve: boolean, reason: string | undefined, respond = true): void {
    const pending = this.#pending.get(id);
    pending?.fillers?.stop();
    this.#pending.delete(id);
    try {
      this.#host.send({
        type: "conversation.item.create",
        item: {
          type: "mcp_approval_response",
          id: `mcpr_${randomBytes(8).toString("hex")}`,
          approval_request_id: id,
          approve,
          ...(reason ? { reason } : {}),
        },
      });
    } catch {
      return; // The socket is gone; nothing left to answer.
    }
    if (respond) this.#host.responses.request({ kind: "answer" });
  }
}
