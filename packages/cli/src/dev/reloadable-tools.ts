import type { Approver, CallHandler, LoadedAgent, SchedulerHost } from "@parley/core";
import { ToolScheduler } from "@parley/core";

/**
 * A tool-call handler whose tools can be swapped while the session runs (live reload): new calls go to a scheduler
 * built from the new agent; calls already running finish on the scheduler that started them. A call id is handled
 * once across swaps (the runtime reports each call twice: `output_item.done` and `response.done`).
 */
export class ReloadableTools implements CallHandler {
  readonly #host: SchedulerHost;
  readonly #approvers: Approver[];
  #current: ToolScheduler;
  readonly #retired = new Set<ToolScheduler>();
  readonly #seen = new Set<string>();

  constructor(host: SchedulerHost, agent: LoadedAgent, approvers: Approver[]) {
    this.#host = host;
    this.#approvers = approvers;
    this.#current = this.#build(agent);
  }

  /** Runs new calls with `agent`'s tools (handlers re-imported by the loader). */
  swap(agent: LoadedAgent): void {
    const next = this.#build(agent);
    const old = this.#current;
    this.#current = next;
    if (old.activeCalls === 0) void old.close();
    else this.#retired.add(old);
  }

  /** Calls started and not yet ended, across schedulers. */
  get activeCalls(): number {
    let n = this.#current.activeCalls;
    for (const s of this.#retired) n += s.activeCalls;
    return n;
  }

  onFunctionCall(item: Parameters<CallHandler["onFunctionCall"]>[0]): void {
    const id = item.call_id ?? item.id;
    if (id) {
      if (this.#seen.has(id)) return;
      this.#seen.add(id);
    }
    this.#current.onFunctionCall(item);
    this.#sweep();
  }

  onMcpApprovalRequest(item: Parameters<CallHandler["onMcpApprovalRequest"]>[0]): void {
    this.#current.onMcpApprovalRequest(item);
  }

  onUserSpeechStarted(): void {
    this.#current.onUserSpeechStarted();
  }

  onUserSpeechStopped(): void {
    this.#current.onUserSpeechStopped();
  }

  onInterrupt(): void {
    this.#current.onInterrupt();
    for (const s of this.#retired) s.onInterrupt();
  }

  async close(): Promise<void> {
    await Promise.all([this.#current.close(), ...[...this.#retired].map((s) => s.close())]);
  }

  #sweep(): void {
    for (const s of this.#retired) {
      if (s.activeCalls === 0) {
        this.#retired.delete(s);
        void s.close();
      }
    }
  }

  #build(agent: LoadedAgent): ToolScheduler {
    const config = agent.config;
    return new ToolScheduler(this.#host, {
      tools: agent.tools,
      sessionId: agent.name,
      ...(config.filler !== undefined ? { filler: config.filler } : {}),
      ...(config.persona?.language ? { language: config.persona.language } : {}),
      approval: config.approval ?? {},
      approvers: this.#approvers,
    });
  }
}

/**
 * The same approver under every name the agent's rules use (`terminal`, `console`, `webhook`, …), so in `agent dev`
 * and `agent test` every approval comes to the person at the terminal (or the scenario), whatever production uses.
 */
export function approversFor(agent: LoadedAgent, approver: Approver): Approver[] {
  // The usual names too: an agent handed off to later may use them (its file is not loaded yet).
  const names = new Set<string>(["terminal", "console", "webhook", approver.name]);
  const policy = agent.config.approval;
  if (policy?.approver) names.add(policy.approver);
  const collect = (rule: unknown) => {
    if (rule && typeof rule === "object" && "approver" in rule && typeof rule.approver === "string")
      names.add(rule.approver);
  };
  collect(policy?.default);
  for (const rule of Object.values(policy?.tools ?? {})) collect(rule);
  for (const tool of agent.tools) collect(tool.approval);
  return [...names].map((name) => ({ name, ask: (request) => approver.ask(request) }));
}
