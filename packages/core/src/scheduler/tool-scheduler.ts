import type {
  RealtimeConversationItemFunctionCall,
  RealtimeMcpApprovalRequest,
} from "openai/resources/realtime/realtime";
import type { Approver } from "../approval/approver.ts";
import { AuditLog } from "../approval/audit-log.ts";
import { ApprovalDesk } from "../approval/desk.ts";
import type { ApprovalSettings } from "../approval/policy.ts";
import type { TimerHandle } from "../clock/index.ts";
import { ParleyError } from "../errors/index.ts";
import { redact, redactString } from "../log/redact.ts";
import type {
  DurationInput,
  ToolDefinition,
  ToolFillerOptions,
  ToolLogger,
} from "../tool/index.ts";
import { Call } from "./call.ts";
import type { CallState } from "./call-state.ts";
import { ConcurrencyGate } from "./concurrency.ts";
import { callFingerprint } from "./duplicates.ts";
import type { SchedulerEvent } from "./events.ts";
import type { ApprovalFillerOptions } from "./filler-plan.ts";
import { FillerTimer } from "./fillers.ts";
import type { CallHandler, SchedulerHost } from "./host.ts";
import { McpApprovals } from "./mcp-approvals.ts";
import { type CallOutcome, outputText } from "./outputs.ts";
import { type PreparedTool, prepareTool } from "./prepare-tool.ts";

export interface ToolSchedulerOptions {
  tools: readonly ToolDefinition[];
  /** Written to the audit log and sent to approvers. */
  sessionId?: string;
  /** The persona's language ("en", "fr-FR"): picks per-language filler lines and the language of generated ones. */
  language?: string;
  /** Agent-wide filler defaults; each tool's `filler` overrides them. */
  filler?: ToolFillerOptions | false;
  /** What is said while an approval is pending. Default: a generated "waiting for confirmation" line. */
  approvalFiller?: ApprovalFillerOptions | false;
  approval?: ApprovalSettings;
  /** Default: none, so every approval is denied (`deny`). */
  approvers?: Approver[];
  /** A file path (JSON lines) or an AuditLog. A path is opened by the scheduler and closed by `close()`. */
  auditLog?: string | AuditLog;
  /** Default per-tool timeout (30s). */
  timeout?: DurationInput;
  /** Outputs landing within this many ms share one answer response (default 25). */
  coalesceMs?: number;
  /** Calls allowed to run at once in the session, all tools together. Default unlimited. */
  maxConcurrentCalls?: number;
  log?: ToolLogger;
  /** Wall clock (epoch ms) for audit times; the host's clock measures durations. */
  wallNow?: () => number;
}

/** Outputs landing this close together are answered by one response. */
export const DEFAULT_COALESCE_MS = 25;

const quietLog: ToolLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Runs the model's tool calls: validate → (approve) → (wait for a slot) → run with timeout and abort → fillers while
 * slow → exactly one `function_call_output` → one "answer" request to the response queue.
 *
 * @example
 * const scheduler = new ToolScheduler(host, { tools: [lookupBooking], language: "en", auditLog: "./approvals.jsonl" });
 * // the runtime then calls scheduler.onFunctionCall(item), onInterrupt(), … and finally await scheduler.close()
 */
export class ToolScheduler implements CallHandler {
  readonly #host: SchedulerHost;
  readonly #options: ToolSchedulerOptions;
  readonly #tools = new Map<string, PreparedTool>();
  readonly #calls = new Map<string, Call>();
  readonly #seen = new Set<string>();
  readonly #inFlight = new Map<string, Set<Call>>();
  readonly #gate: ConcurrencyGate;
  readonly #desk: ApprovalDesk;
  readonly #mcp: McpApprovals;
  readonly #ownedAudit: AuditLog | undefined;
  #closing = false;
  #answerTimer: TimerHandle | undefined;
  readonly #coalesceMs: number;

  constructor(host: SchedulerHost, options: ToolSchedulerOptions) {
    this.#host = host;
    this.#options = options;
    this.#gate = new ConcurrencyGate(options.maxConcurrentCalls);
    this.#coalesceMs = options.coalesceMs ?? DEFAULT_COALESCE_MS;
    for (const tool of options.tools) {
      if (this.#tools.has(tool.name))
        throw new ParleyError("duplicate_tool", `two tools are named "${tool.name}"`);
      this.#tools.set(tool.name, prepareTool(tool, options));
    }
    this.#ownedAudit =
      typeof options.auditLog === "string" ? new AuditLog(options.auditLog) : undefined;
    this.#desk = new ApprovalDesk({
      approvers: options.approvers ?? [],
      ...(options.approval?.approver ? { defaultApprover: options.approval.approver } : {}),
      clock: host.clock,
      sessionId: options.sessionId ?? "session",
      ...(options.auditLog ? { audit: this.#ownedAudit ?? (options.auditLog as AuditLog) } : {}),
      emit: this.#emit,
      ...(options.wallNow ? { wallNow: options.wallNow } : {}),
    });
    for (const tool of this.#tools.values()) {
      if (tool.approval.active && !this.#desk.has(tool.approval.approver)) {
        options.log?.warn(
          `tool ${tool.name} needs approval from "${tool.approval.approver ?? options.approval?.approver}", which is not configured: its calls will be denied`,
        );
      }
    }
    this.#mcp = new McpApprovals(host, this.#desk, options, this.#emit);
  }

  /** Calls not yet ended, by call id. */
  get activeCalls(): number {
    return this.#calls.size;
  }

  /** The state of a call (undefined once ended and forgotten, or never seen). */
  stateOf(callId: string): CallState | undefined {
    return this.#calls.get(callId)?.state;
  }

  onFunctionCall(item: RealtimeConversationItemFunctionCall): void {
    const id = item.call_id ?? item.id;
    // The same item arrives from output_item.done and again in response.done: handle each call once.
    if (!id) {
      this.#options.log?.warn(
        `a function_call item for ${item.name} has no call_id; it cannot be answered`,
      );
      return;
    }
    if (this.#seen.has(id)) return;
    this.#seen.add(id);
    const call = new Call(id, item.name, item.arguments ?? "", this.#host.clock.now());
    this.#calls.set(id, call);
    this.#emit({
      type: "tool.call",
      callId: id,
      tool: call.tool,
      arguments: redact(parseLoose(call.rawArguments)),
      at: call.receivedAt,
    });
    if (this.#closing) {
      this.#end(call, {
        state: "cancelled",
        code: "session_closed",
        message: "the session is ending",
      });
      return;
    }

    const tool = this.#tools.get(call.tool);
    if (!tool) {
      const known = [...this.#tools.keys()].join(", ") || "none";
      this.#end(call, {
        state: "failed",
        code: "unknown_tool",
        message: `there is no tool named "${call.tool}" (available: ${known})`,
      });
      return;
    }
    const check = tool.validate(call.rawArguments);
    if (!check.ok) {
      this.#end(call, {
        state: "failed",
        code: "invalid_arguments",
        message: `${tool.name}: ${check.message}`,
      });
      return;
    }
    call.args = check.value;

    if (tool.duplicate !== "allow") {
      call.fingerprint = callFingerprint(tool.name, call.args);
      const twins = [...(this.#inFlight.get(call.fingerprint) ?? [])];
      if (twins.length > 0 && tool.duplicate === "reject") {
        this.#end(call, {
          state: "rejected",
          code: "duplicate_call",
          message: `an identical ${tool.name} call is already in progress; its result will follow`,
        });
        return;
      }
      for (const twin of twins) {
        this.#end(twin, {
          state: "cancelled",
          code: "replaced",
          message: `replaced by a newer identical ${tool.name} call`,
        });
      }
      const set = this.#inFlight.get(call.fingerprint) ?? new Set();
      this.#inFlight.set(call.fingerprint, set.add(call));
    }

    if (!tool.approval.active) {
      this.#schedule(call, tool);
      return;
    }
    const reason = tool.approval.check(call.args, this.#host.variables);
    const subject = {
      kind: "function" as const,
      callId: id,
      tool: tool.name,
      args: call.args,
      signal: call.abort.signal,
    };
    if (reason === undefined) {
      this.#desk.pass(subject);
      this.#schedule(call, tool);
      return;
    }
    this.#move(call, "awaiting_approval");
    call.fillers = new FillerTimer(
      this.#host,
      call,
      tool.approvalFillers,
      "approval",
      this.#options.language,
      this.#emit,
    );
    this.#desk.ask(subject, tool.approval, reason).then(
      (verdict) => {
        if ("cancelled" in verdict || call.ended) return;
        if (verdict.approved) {
          this.#schedule(call, tool);
          return;
        }
        this.#end(
          call,
          verdict.timedOut
            ? {
                state: "rejected",
                code: "approval_timeout",
                message: `${tool.name} was not run: ${verdict.reason}`,
              }
            : {
                state: "rejected",
                code: "approval_denied",
                message: `${tool.name} was not approved: ${verdict.reason}`,
              },
        );
      },
      (error: unknown) =>
        this.#end(call, {
          state: "rejected",
          code: "approval_denied",
          message: `${tool.name} was not run: ${String(error)}`,
        }),
    );
  }

  onMcpApprovalRequest(item: RealtimeMcpApprovalRequest): void {
    if (this.#closing) {
      this.#mcp.refuse(item, "the session is ending");
      return;
    }
    this.#mcp.handle(item);
  }

  /** Fillers read `host.userSpeaking` when they fall due, so speech needs no bookkeeping here. */
  onUserSpeechStarted(): void {}

  onUserSpeechStopped(): void {}

  onInterrupt(): void {
    for (const call of [...this.#calls.values()]) {
      if (this.#tools.get(call.tool)?.onInterrupt === "cancel") {
        this.#end(call, {
          state: "cancelled",
          code: "cancelled",
          message: `${call.tool} was cancelled because the user interrupted`,
        });
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    for (const call of [...this.#calls.values()]) {
      this.#end(
        call,
        {
          state: "cancelled",
          code: "session_closed",
          message: "the session ended before the call finished",
        },
        false,
      );
    }
    if (this.#answerTimer !== undefined) this.#host.clock.clearTimeout(this.#answerTimer);
    this.#answerTimer = undefined;
    this.#mcp.close();
    await this.#ownedAudit?.close();
  }

  #schedule(call: Call, tool: PreparedTool): void {
    call.fillers?.stop();
    call.fillers = new FillerTimer(
      this.#host,
      call,
      tool.runFillers,
      "run",
      this.#options.language,
      this.#emit,
    );
    const start = () => {
      call.startWhenFree = undefined;
      call.holdsSlot = true;
      this.#run(call, tool);
    };
    if (this.#gate.acquire(tool.name, tool.concurrency, start)) {
      start();
      return;
    }
    this.#move(call, "queued");
    call.startWhenFree = start;
  }

  #run(call: Call, tool: PreparedTool): void {
    this.#move(call, "running");
    call.timeout = this.#host.clock.setTimeout(() => {
      const seconds = Math.round(tool.timeoutMs / 100) / 10;
      this.#end(call, {
        state: "timed_out",
        code: "timeout",
        message: `${tool.name} did not finish within ${seconds}s`,
      });
    }, tool.timeoutMs);
    const ctx = {
      signal: call.abort.signal,
      progress: (message: string) => {
        if (call.state !== "running") return;
        call.setProgress(message);
        this.#emit({
          type: "tool.progress",
          callId: call.id,
          tool: tool.name,
          message,
          at: this.#host.clock.now(),
        });
      },
      variables: this.#host.variables,
      log: this.#options.log ?? quietLog,
      callId: call.id,
      ...(this.#host.session ? { session: this.#host.session } : {}),
    };
    const failed = (error: unknown) =>
      this.#end(call, {
        state: "failed",
        code: "tool_error",
        message: `${tool.name} failed: ${redactString(errorMessage(error))}`,
      });
    let result: unknown;
    try {
      result = tool.definition.run(call.args as never, ctx);
    } catch (error) {
      failed(error);
      return;
    }
    if (isThenable(result))
      result.then((value) => this.#end(call, { state: "completed", result: value }), failed);
    else this.#end(call, { state: "completed", result });
  }

  /** Ends a call (once): its one output, then one answer request (unless the session is closing). */
  #end(call: Call, outcome: CallOutcome, respond = true): void {
    if (call.ended) return;
    this.#move(call, outcome.state);
    call.fillers?.stop();
    if (call.timeout !== undefined) this.#host.clock.clearTimeout(call.timeout);
    if (call.startWhenFree) this.#gate.withdraw(call.startWhenFree);
    if (outcome.state !== "completed")
      call.abort.abort(new ParleyError(`call_${outcome.code}`, outcome.message));
    if (call.fingerprint) this.#inFlight.get(call.fingerprint)?.delete(call);
    if (call.fingerprint && this.#inFlight.get(call.fingerprint)?.size === 0)
      this.#inFlight.delete(call.fingerprint);
    this.#calls.delete(call.id);
    const output = outputText(outcome);
    try {
      this.#host.send({
        type: "conversation.item.create",
        item: { type: "function_call_output", call_id: call.id, output },
      });
    } catch (error) {
      this.#options.log?.warn(
        `could not send the output of ${call.tool} (${call.id}): ${errorMessage(error)}`,
      );
    }
    this.#emit({
      type: "tool.output",
      callId: call.id,
      tool: call.tool,
      state: outcome.state,
      output,
      at: this.#host.clock.now(),
    });
    if (respond) this.#requestAnswer();
    if (call.holdsSlot) {
      call.holdsSlot = false;
      this.#gate.release(call.tool);
    }
  }

  /**
   * One answer for the outputs that land within `coalesceMs` of each other: calls that end together (two handlers
   * resolving a few ms apart, an interruption cancelling several) are spoken about in one response, not one each.
   */
  #requestAnswer(): void {
    if (this.#answerTimer !== undefined) return;
    this.#answerTimer = this.#host.clock.setTimeout(() => {
      this.#answerTimer = undefined;
      if (!this.#closing) this.#host.responses.request({ kind: "answer" });
    }, this.#coalesceMs);
  }

  #move(call: Call, to: CallState): void {
    const from = call.moveTo(to);
    this.#emit({
      type: "tool.state",
      callId: call.id,
      tool: call.tool,
      from,
      to,
      at: this.#host.clock.now(),
    });
  }

  #emit = (event: SchedulerEvent): void => {
    try {
      this.#host.emit?.(event);
    } catch {
      // A UI listener's bug must not break a call.
    }
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseLoose(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
