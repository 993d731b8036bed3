import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import type { LoadedAgent, ToolsFollower } from "../contracts/agent.ts";
import type { Logger } from "../log/index.ts";
import { SessionError } from "./errors.ts";
import { requestedVoice, withoutVoice } from "./settings.ts";

/** What the agent switch asks of the session (the session answers it itself: names that say whose they are). */
export interface AgentSwitchDeps {
  /** Compiles an agent to its `session.update` (absent: only ready-made updates are accepted). */
  compileAgent: ((agent: LoadedAgent) => SessionUpdateEvent) | undefined;
  /** Sends an agent's `session.update` and resolves on its `session.updated` (rejects with the server's error). */
  sendAgentUpdate(update: SessionUpdateEvent): Promise<void>;
  /** The voice in effect now. */
  agentVoice(): string | undefined;
  /** True once the agent has produced audio: the API then refuses a voice change. */
  agentSpoke(): boolean;
  /** The variables the application gave, over each agent's defaults. */
  givenVariables: Readonly<Record<string, unknown>>;
  /** The session can still take an update. */
  open(): boolean;
  /** The new agent is in place: its tools, limits and budget apply from now on. */
  agentSwitched(agent: LoadedAgent): void;
  switchWarning(code: string, message: string): void;
  switchFailed(error: SessionError): void;
  log: Logger;
}

/**
 * Which agent a session runs, and the switch to another (`updateAgent`, a handoff, a tool-list change): the
 * `session.update` first (the voice left out once audio was produced), then the agent, its variables and its tools.
 * Variables are replaced, never edited in place: whoever read the old object keeps a consistent one. Every agent the
 * session ran is released with it (their MCP connections).
 */
export class AgentSwitch implements ToolsFollower {
  readonly #d: AgentSwitchDeps;
  #agent: LoadedAgent | undefined;
  #variables: Readonly<Record<string, unknown>>;
  /** Every agent the session ran: most sessions run one, kept as is; an array once there is a second. */
  #ran: LoadedAgent | LoadedAgent[] | undefined;
  /**
   * How the session follows its agent's tool-list changes: the agent it follows as a follower (no closure per
   * session), or the unsubscribe of an agent that offers only `onToolsChanged`.
   */
  #follow: LoadedAgent | (() => void) | undefined;

  constructor(deps: AgentSwitchDeps, agent: LoadedAgent | undefined) {
    this.#d = deps;
    this.#agent = agent;
    this.#variables = merged(agent?.config.variables, deps.givenVariables);
  }

  /** The agent the session runs now. */
  get agent(): LoadedAgent | undefined {
    return this.#agent;
  }

  /** The session variables now: the current agent's defaults under what the application gave. */
  get variables(): Readonly<Record<string, unknown>> {
    return this.#variables;
  }

  /** Starts following the first agent's tool-list changes (once the session is configured). */
  begin(): void {
    if (this.#agent) this.#watch(this.#agent);
  }

  /** Applies an agent or a ready `session.update`; resolves with the voice kept when the new one was refused. */
  async apply(next: LoadedAgent | SessionUpdateEvent): Promise<string | undefined> {
    const d = this.#d;
    let update = isSessionUpdate(next) ? next : d.compileAgent?.(next);
    if (!update)
      throw new SessionError(
        "update_unsupported",
        "this session cannot compile agents; pass a session.update event",
      );
    let kept: string | undefined;
    const voice = requestedVoice(update);
    const current = d.agentVoice();
    if (voice !== undefined && voice !== current && d.agentSpoke()) {
      update = withoutVoice(update);
      kept = current ?? "default";
      d.switchWarning(
        "voice_change_refused",
        `the voice stays "${current ?? "default"}": the API cannot change it to "${voice}" after the agent has spoken; the rest of the update was applied`,
      );
    }
    await d.sendAgentUpdate(update);
    if (isSessionUpdate(next)) return kept;
    this.#agent = next;
    this.#variables = merged(next.config.variables, d.givenVariables);
    this.#watch(next);
    d.agentSwitched(next);
    return kept;
  }

  /** The session is over: stop following tool changes and release every agent it ran. */
  release(): void {
    this.#unfollow();
    const ran = this.#ran;
    for (const agent of ran === undefined ? [] : Array.isArray(ran) ? ran : [ran])
      agent
        .close?.()
        .catch((error: unknown) =>
          this.#d.log.warn("closing the agent failed", { agent: agent.name, error }),
        );
  }

  /**
   * Follows an agent's tool-list changes (a bridged MCP server added or removed tools): the new agent goes out as
   * a live `session.update` and the scheduler takes its tools, as `updateAgent` does.
   */
  #watch(agent: LoadedAgent): void {
    const ran = this.#ran;
    if (ran === undefined) this.#ran = agent;
    else if (!Array.isArray(ran)) {
      if (ran !== agent) this.#ran = [ran, agent];
    } else if (!ran.includes(agent)) ran.push(agent);
    this.#unfollow();
    // Both, checked at run time too: a follower the agent cannot drop would keep this closed session alive.
    if (agent.followTools && typeof agent.unfollowTools === "function") {
      agent.followTools(this);
      this.#follow = agent;
    } else this.#follow = agent.onToolsChanged?.((next) => this.agentToolsChanged(next));
  }

  #unfollow(): void {
    const follow = this.#follow;
    this.#follow = undefined;
    if (typeof follow === "function") follow();
    else follow?.unfollowTools?.(this);
  }

  /** @internal The followed agent's tools changed: the new agent goes out as a live `session.update`. */
  agentToolsChanged(next: LoadedAgent): void {
    if (!this.#d.open()) return;
    this.#d.log.info("the agent's tools changed", { tools: next.tools.length });
    this.apply(next).catch((error: unknown) =>
      this.#d.switchFailed(
        new SessionError(
          "tools_update_failed",
          `could not apply the agent's changed tools: ${(error as Error)?.message ?? error}`,
          { cause: error },
        ),
      ),
    );
  }
}

// Sessions without variables (none given, none defaulted) share this one: replaced, never edited in place.
const NO_VARIABLES: Readonly<Record<string, unknown>> = Object.freeze({});

/** The agent's defaults under what the application gave, as a new object (the shared empty one when both are). */
function merged(
  defaults: Readonly<Record<string, unknown>> | undefined,
  given: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  if (isEmpty(given) && (defaults === undefined || isEmpty(defaults))) return NO_VARIABLES;
  return { ...defaults, ...given };
}

function isEmpty(o: Readonly<Record<string, unknown>>): boolean {
  for (const _ in o) return false;
  return true;
}

export function isSessionUpdate(value: unknown): value is SessionUpdateEvent {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "session.update"
  );
}
