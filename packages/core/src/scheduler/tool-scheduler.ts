import type {
  RealtimeConversationItemFunctionCall,
  RealtimeMcpApprovalRequest,
} from "openai/resources/realtime/realtime";
import { AuditLog } from "../approval/audit-log.ts";
import { ApprovalDesk, type Verdict } from "../approval/desk.ts";
import { LazyMap } from "../collections/lazy.ts";
import { type CallLedger, ledgerOf } from "../contracts/call-ledger.ts";
import { ParleyError } from "../errors/index.ts";
import { redact } from "../log/redact.ts";
import type { ToolLogger } from "../tool/index.ts";
import { admitCall } from "./admit-call.ts";
import { AnswerGate } from "./answers.ts";
import { Call } from "./call.ts";
import { CallDeadlines } from "./call-deadlines.ts";
import type { CallState } from "./call-state.ts";
import { ConcurrencyGate } from "./concurrency.ts";
import { InFlightCalls } from "./duplicates.ts";
import type { SchedulerEvent } from "./events.ts";
import { type FillerPhase, FillerTimer } from "./fillers.ts";
import type { CallHandler, SchedulerHost } from "./host.ts";
import { McpApprovals } from "./mcp-approvals.ts";
import { parseModelJsonLoose } from "./model-json.ts";
import type { ToolSchedulerOptions } from "./options.ts";
import { type CallOutcome, endWith, outputText } from "./outputs.ts";
import type { PreparedTool } from "./prepare-tool.ts";
import { preparedTools } from "./prepared-tools.ts";
import { type RunEnv, runCall, timedOut } from "./run-call.ts";

export type { ToolSchedulerOptions } from "./options.ts";

const quietLog: ToolLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Runs the model's tool calls: validate → (approve) → (wait for a slot) → run with timeout and abort → fillers while
 * slow → exactly one `function_call_output` → one "answer" request to the response queue per model response, once all
 * of that response's calls have their output and it is done.
 *
 * @example
 * const scheduler = new ToolScheduler(host, { tools: [lookupBooking], language: "en", auditLog: "./approvals.jsonl" });
 * // the runtime then calls scheduler.onFunctionCall(item), onInterrupt(), … and finally await scheduler.close()
 */
export class ToolScheduler implements CallHandler {
  readonly #host: SchedulerHost;
  readonly #options: ToolSchedulerOptions;
  readonly #tools: ReadonlyMap<string, PreparedTool>;
  readonly #calls = new LazyMap<string, Call>();
  readonly #ledger: CallLedger;
  readonly #inFlight = new InFlightCalls<Call>();
  readonly #gate: ConcurrencyGate;
  readonly #desk: ApprovalDesk;
  readonly #mcp: McpApprovals;
  readonly #ownedAudit: AuditLog | undefined;
  #closing = false;
  readonly #answers: AnswerGate;
  readonly #runEnv: RunEnv;
  /** Made with the first run: a session whose agent never runs a tool keeps no timer state. */
  #deadlines: CallDeadlines<Call> | undefined;

  constructor(host: SchedulerHost, options: ToolSchedulerOptions) {
    this.#host = host;
    this.#options = options;
    this.#ledger = ledgerOf(host);
    this.#gate = new ConcurrencyGate(options.maxConcurrentCalls);
    this.#answers = new AnswerGate(host);
    const prepared = preparedTools(options.tools, options);
    this.#tools = prepared.byName;
    this.#runEnv = {
      host,
      log: options.log ?? quietLog,
      emit: this.#emit,
      end: (call, outcome) => this.#end(call, outcome),
      options,
      deadline: (call, ms) => {
        this.#deadlines ??= new CallDeadlines(host.clock, (late) => {
          const tool = this.#tools.get(late.tool);
          if (tool) this.#end(late, timedOut(tool));
        });
        this.#deadlines.add(call, ms);
      },
    };
    this.#ownedAudit =
      typeof options.auditLog === "string" ? new AuditLog(options.auditLog) : undefined;
    this.#desk = new ApprovalDesk({
      approvers: options.approvers ?? [],
      defaultApprover: options.approval?.approver,
      clock: host.clock,
      sessionId: options.sessionId ?? host.sessionId ?? "session",
      audit: this.#ownedAudit ?? (options.auditLog as AuditLog | undefined),
      emit: this.#emit,
      wallNow: options.wallNow,
    });
    for (const tool of prepared.needApproval) {
      if (this.#desk.has(tool.approval.approver)) continue;
      const name = tool.approval.approver ?? options.approval?.approver;
      options.log?.warn(
        `tool ${tool.name} needs approval from "${name}", which is not configured: its calls will be denied`,
      );
    }
    this.#mcp = new McpApprovals(host, this.#desk, options, this.#emit);
  }

  /** Calls not yet ended, by call id. */
  get activeCalls(): number {
    return this.#calls.size;
  }

  /**
   * True while a call runs or waits (for approval, a slot), an MCP approval request waits, or the answer about an
   * output is scheduled: the turn is not over.
   */
  get busy(): boolean {
    return this.#calls.size > 0 || this.#mcp.pending > 0 || this.#answers.pending;
  }

  /** The state of a call (undefined once ended and forgotten, or never seen). */
  stateOf(callId: string): CallState | undefined {
    return this.#calls.get(callId)?.state;
  }

  onFunctionCall(item: RealtimeConversationItemFunctionCall): void {
    const id = item.call_id ?? item.id;
    if (!id) {
      this.#options.log?.warn(
        `a function_call item for ${item.name} has no call_id; it cannot be answered`,
      );
      return;
    }
    // The same item may arrive from output_item.done and again in response.done, or reach another agent's
    // scheduler after a swap: the ledger lets one scheduler take each call, once.
    if (!this.#ledger.take(id)) return;
    const call = new Call(id, item.name, item.arguments ?? "", this.#host.clock.now());
    this.#calls.set(id, call);
    call.batch = this.#answers.join(call);
    // Built (arguments parsed and redacted) only for someone who will see it: nobody listening is the common case.
    if (this.#quiet("tool.call")) this.#host.changed?.();
    else
      this.#emit({
        type: "tool.call",
        callId: id,
        tool: call.tool,
        arguments:
          this.#host.listens?.("tool.call") === false
            ? {}
            : redact(parseModelJsonLoose(call.rawArguments)),
        at: call.receivedAt,
      });
    if (this.#closing) {
      this.#end(call, endWith("cancelled", "session_closed", "the session is ending"));
      return;
    }

    const admission = admitCall(call, this.#tools, this.#inFlight);
    if ("refused" in admission) {
      this.#end(call, admission.refused);
      return;
    }
    const { tool } = admission;
    for (const twin of admission.replaces) {
      this.#end(
        twin,
        endWith("cancelled", "replaced", `replaced by a newer identical ${tool.name} call`),
      );
    }
    const args = call.args as Record<string, unknown>;

    if (!tool.approval.active) {
      this.#schedule(call, tool);
      return;
    }
    const reason = tool.approval.check(args, this.#host.variables);
    const subject = {
      kind: "function" as const,
      callId: id,
      tool: tool.name,
      args,
      signal: call.signal,
    };
    if (reason === undefined) {
      this.#desk.pass(subject);
      this.#schedule(call, tool);
      return;
    }
    this.#move(call, "awaiting_approval");
    this.#startFillers(call, tool, "approval");
    this.#desk.ask(subject, tool.approval, reason).then(
      (verdict) => this.#decided(call, tool, verdict),
      (error: unknown) =>
        this.#decided(call, tool, { approved: false, timedOut: false, reason: String(error) }),
    );
  }

  /** Ends a call cancelled from outside (a UI's stop button, an LLM-visible cancel tool). False if it is not open. */
  cancel(callId: string, reason = "cancelled by the application"): boolean {
    const call = this.#calls.get(callId);
    if (!call) return false;
    this.#end(call, endWith("cancelled", "cancelled", `${call.tool} was cancelled: ${reason}`));
    return true;
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
        this.#end(
          call,
          endWith(
            "cancelled",
            "cancelled",
            `${call.tool} was cancelled because the user interrupted`,
          ),
        );
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    for (const call of [...this.#calls.values()]) {
      this.#end(
        call,
        endWith("cancelled", "session_closed", "the session ended before the call finished"),
        false,
      );
    }
    this.#deadlines?.stop();
    this.#answers.close();
    this.#mcp.close();
    await this.#ownedAudit?.close();
  }

  #decided(call: Call, tool: PreparedTool, verdict: Verdict): void {
    if ("cancelled" in verdict || call.ended) return;
    if (verdict.approved) {
      this.#schedule(call, tool);
      return;
    }
    this.#end(
      call,
      verdict.timedOut
        ? endWith("rejected", "approval_timeout", `${tool.name} was not run: ${verdict.reason}`)
        : endWith(
            "rejected",
            "approval_denied",
            `${tool.name} was not approved: ${verdict.reason}`,
          ),
    );
  }

  #startFillers(call: Call, tool: PreparedTool, phase: FillerPhase): void {
    call.fillers?.stop();
    const plan = phase === "run" ? tool.runFillers : tool.approvalFillers;
    // A plan that says nothing needs no timer object (tools with fillers off, the common case for fast tools).
    if (!plan.enabled || plan.max <= 0) {
      call.fillers = undefined;
      return;
    }
    call.fillers = new FillerTimer(
      this.#host,
      call,
      plan,
      phase,
      this.#options.language,
      this.#emit,
    );
  }

  #schedule(call: Call, tool: PreparedTool): void {
    this.#startFillers(call, tool, "run");
    const start = () => {
      call.startWhenFree = undefined;
      call.holdsSlot = true;
      this.#move(call, "running");
      runCall(call, tool, this.#runEnv);
    };
    if (this.#gate.acquire(tool.name, tool.concurrency, start)) {
      start();
      return;
    }
    this.#move(call, "queued");
    call.startWhenFree = start;
  }

  /**
   * Ends a call (once): its one output, then one answer request (unless the session is closing). The output goes out
   * first: the events about it (`tool.state`, `tool.output`, in that order) follow the send, off the turn's path.
   */
  #end(call: Call, outcome: CallOutcome, respond = true): void {
    if (call.ended) return;
    const from = call.moveTo(outcome.state);
    call.fillers?.stop();
    this.#deadlines?.remove(call);
    if (call.startWhenFree) this.#gate.withdraw(call.startWhenFree);
    if (outcome.state !== "completed")
      call.abort(new ParleyError(`call_${outcome.code}`, outcome.message));
    if (call.fingerprint) this.#inFlight.remove(call.fingerprint, call);
    this.#calls.delete(call.id);
    const output = outputText(outcome);
    let answered = true;
    try {
      answered = this.#ledger.answer(call.id, output);
    } catch (error) {
      this.#options.log?.warn(
        `could not send the output of ${call.tool} (${call.id}): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.#moved(call, from, outcome.state);
    if (!answered) {
      // Someone else gave this call its output (the session's close): nothing more to say about it.
      if (call.batch) this.#answers.ended(call, call.batch, false);
      this.#releaseSlot(call);
      return;
    }
    if (this.#quiet("tool.output")) this.#host.changed?.();
    else {
      const at = this.#host.clock.now();
      this.#emit({
        type: "tool.output",
        callId: call.id,
        tool: call.tool,
        state: outcome.state,
        output,
        ms: at - call.receivedAt,
        at,
      });
    }
    if (call.batch) this.#answers.ended(call, call.batch, respond);
    this.#releaseSlot(call);
  }

  #releaseSlot(call: Call): void {
    if (!call.holdsSlot) return;
    call.holdsSlot = false;
    this.#gate.release(call.tool);
  }

  #move(call: Call, to: CallState): void {
    this.#moved(call, call.moveTo(to), to);
  }

  /** The `tool.state` event of a move made (built only for someone who will see it). */
  #moved(call: Call, from: CallState, to: CallState): void {
    if (this.#quiet("tool.state")) {
      this.#host.changed?.();
      return;
    }
    this.#emit({
      type: "tool.state",
      callId: call.id,
      tool: call.tool,
      from,
      to,
      at: this.#host.clock.now(),
    });
  }

  /**
   * True when an event of this type need not be built: nobody would see it, and the host has `changed` for what its
   * `emit` does besides (a host without it gets every event, as before).
   */
  #quiet(type: SchedulerEvent["type"]): boolean {
    const host = this.#host;
    return host.changed !== undefined && host.listens?.(type) === false;
  }

  #emit = (event: SchedulerEvent): void => {
    try {
      this.#host.emit?.(event);
    } catch {
      // A UI listener's bug must not break a call.
    }
  };
}
