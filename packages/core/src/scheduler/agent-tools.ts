import type {
  RealtimeConversationItemFunctionCall,
  RealtimeMcpApprovalRequest,
} from "openai/resources/realtime/realtime";
import { AuditLog } from "../approval/audit-log.ts";
import { NONE } from "../collections/lazy.ts";
import type { LoadedAgent } from "../load/index.ts";
import type { CallHandler, SchedulerHost } from "./host.ts";
import type { ToolSchedulerOptions } from "./options.ts";
import { preparedTools } from "./prepared-tools.ts";
import { ToolScheduler } from "./tool-scheduler.ts";

/** The scheduler options an agent file implies (its tools, fillers, approval policy, language). */
export function schedulerOptionsFor(agent: LoadedAgent): ToolSchedulerOptions {
  const config = agent.config;
  return {
    tools: agent.tools,
    ...(config.persona?.language ? { language: config.persona.language } : {}),
    ...(config.filler !== undefined ? { filler: config.filler } : {}),
    ...(config.approval ? { approval: config.approval } : {}),
  };
}

/** The agent's prepared tools with the session's options (cached per tool list: no work after the first session). */
function preparedToolsOf(agent: LoadedAgent, overrides: Partial<ToolSchedulerOptions>) {
  const options = { ...schedulerOptionsFor(agent), ...overrides };
  return preparedTools(options.tools, options);
}

/**
 * The session's tool-call handler when it may change agents (a handoff, `session.updateAgent`): one ToolScheduler
 * per agent. After `swap(agent)` new calls go to the new agent's scheduler, so the old agent's tools are no longer
 * callable; calls already running finish on the scheduler that started them (each still gets its one output). The
 * approvers and the audit log are shared by every scheduler of the session.
 *
 * @example
 * const tools = new AgentTools(host, support, { approvers: [webhook], auditLog: "./approvals.jsonl" });
 * tools.swap(billing); // after the session.update for billing was accepted
 */
export class AgentTools implements CallHandler {
  readonly #host: SchedulerHost;
  readonly #overrides: Partial<ToolSchedulerOptions>;
  readonly #ownedAudit: AuditLog | undefined;
  /** Made on the session's first call (or first use): an idle session holds no scheduler, only its agent. */
  #built: ToolScheduler | undefined;
  #agent: LoadedAgent;
  /**
   * The session id when this handler was made or last swapped to an agent: what its schedulers' approvals record.
   * The session's default handler is made on its first use, so after a restore that is the new `sess_…`.
   */
  #sessionId: string | undefined;
  #retired: Set<ToolScheduler> | undefined;

  constructor(
    host: SchedulerHost,
    agent: LoadedAgent,
    overrides: Partial<ToolSchedulerOptions> = {},
  ) {
    this.#host = host;
    // A path is opened once here, so every agent's scheduler appends to the same stream, in decision order.
    this.#ownedAudit =
      typeof overrides.auditLog === "string" ? new AuditLog(overrides.auditLog) : undefined;
    // Kept as given when there is nothing to add (a shared factory's sessions share its one options object).
    this.#overrides = this.#ownedAudit ? { ...overrides, auditLog: this.#ownedAudit } : overrides;
    this.#agent = agent;
    this.#sessionId = host.sessionId;
    // What building the scheduler would report at the start is still reported at the start: a duplicate tool name
    // throws, and a missing approver is warned about (that scheduler is then made now).
    if (AgentTools.buildsAtStart(agent, this.#overrides))
      this.#built = this.#build(agent, this.#sessionId);
  }

  /**
   * Whether a session's AgentTools for `agent` makes its scheduler at construction (approval rules: a missing
   * approver is warned about at the start). Throws what that construction would (a duplicate tool name).
   */
  static buildsAtStart(agent: LoadedAgent, overrides: Partial<ToolSchedulerOptions> = {}): boolean {
    return preparedToolsOf(agent, overrides).needApproval.length > 0;
  }

  /** The scheduler that takes new calls. */
  get current(): ToolScheduler {
    this.#built ??= this.#build(this.#agent, this.#sessionId);
    return this.#built;
  }

  /** The current scheduler, if made: one never made has no calls, approvals or answers to act on. */
  get #current(): ToolScheduler | undefined {
    return this.#built;
  }

  /** Calls started and not yet ended, across the schedulers of every agent the session ran. */
  get activeCalls(): number {
    let n = this.#current?.activeCalls ?? 0;
    for (const s of this.#retired ?? NONE) n += s.activeCalls;
    return n;
  }

  /** Some scheduler (this agent's or a previous one's) still has a call, an approval or an answer pending. */
  get busy(): boolean {
    if (this.#current?.busy) return true;
    for (const s of this.#retired ?? NONE) if (s.busy) return true;
    return false;
  }

  swap(agent: LoadedAgent): void {
    const old = this.#current;
    this.#agent = agent;
    this.#sessionId = this.#host.sessionId;
    this.#built = undefined;
    if (AgentTools.buildsAtStart(agent, this.#overrides))
      this.#built = this.#build(agent, this.#sessionId);
    if (old) this.#retire(old);
  }

  onFunctionCall(item: RealtimeConversationItemFunctionCall): void {
    // Each call is reported twice (output_item.done, response.done): the schedulers share the host's call ledger,
    // so a call taken by one agent's scheduler is not taken again by the next one's.
    this.current.onFunctionCall(item);
    this.#sweep();
  }

  onMcpApprovalRequest(item: RealtimeMcpApprovalRequest): void {
    this.current.onMcpApprovalRequest(item);
  }

  onUserSpeechStarted(): void {
    this.#current?.onUserSpeechStarted();
  }

  onUserSpeechStopped(): void {
    this.#current?.onUserSpeechStopped();
  }

  onInterrupt(): void {
    this.#current?.onInterrupt();
    for (const s of this.#retired ?? NONE) s.onInterrupt();
  }

  /** Ends a call cancelled from outside, whichever agent's scheduler runs it. */
  cancel(callId: string, reason?: string): boolean {
    if (this.#current?.cancel(callId, reason)) return true;
    for (const s of this.#retired ?? NONE) if (s.cancel(callId, reason)) return true;
    return false;
  }

  async close(): Promise<void> {
    await Promise.all([
      this.#current?.close(),
      ...[...(this.#retired ?? NONE)].map((s) => s.close()),
    ]);
    this.#retired?.clear();
    await this.#ownedAudit?.close();
  }

  #retire(scheduler: ToolScheduler): void {
    if (scheduler.activeCalls === 0) void scheduler.close();
    else this.#retiredOf().add(scheduler);
  }

  #sweep(): void {
    for (const s of this.#retired ?? NONE) {
      if (s.activeCalls > 0) continue;
      this.#retired?.delete(s);
      void s.close();
    }
  }

  #build(agent: LoadedAgent, sessionId?: string): ToolScheduler {
    return new ToolScheduler(this.#host, {
      ...schedulerOptionsFor(agent),
      ...(sessionId === undefined ? {} : { sessionId }),
      ...this.#overrides,
    });
  }

  /** `#retired`, made on the first write (most sessions never write to it). */
  #retiredOf(): Set<ToolScheduler> {
    this.#retired ??= new Set();
    return this.#retired;
  }
}
