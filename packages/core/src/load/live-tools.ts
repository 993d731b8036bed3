import type { ToolsFollower } from "../contracts/agent.ts";
import type { AgentConfig } from "../schema/agent.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";
import type { LoadedAgent } from "./load-agent.ts";
import { applyToolDefaults } from "./tool-defaults.ts";

/** What packs hand the loader after building: things to release, and tool lists that changed later. */
export interface LoadHooks {
  onClose(close: () => void | Promise<void>): void;
  /** A pack entry's tools changed: `previous` are the names it gave before, `next` its new tools (entry rules applied). */
  toolsChanged(previous: readonly string[], next: AnyToolDefinition[]): void;
}

type Listener = ((agent: LoadedAgent) => void) | ToolsFollower;

/**
 * The part of a LoadedAgent that lives on after loading: the packs' close hooks (`close()`), and their tool-list
 * changes, which make a new LoadedAgent (same config, the changed entry's tools replaced, agent defaults applied)
 * for whoever listens (a running session sends it as a `session.update`).
 */
export class LiveTools implements LoadHooks {
  /** The loader's set of agents holding something to close: this one joins it on its first `onClose`. */
  readonly #open: Set<LiveTools>;
  readonly #closers: (() => void | Promise<void>)[] = [];
  readonly #listeners = new Set<Listener>();
  #agent: LoadedAgent | undefined;
  #config: AgentConfig | undefined;

  constructor(open: Set<LiveTools>) {
    this.#open = open;
  }

  onClose(close: () => void | Promise<void>): void {
    this.#closers.push(close);
    this.#open.add(this);
  }

  /** The loaded agent (after loading finished): later changes start from it. */
  attach(agent: LoadedAgent): LoadedAgent {
    this.#config = agent.config;
    const live: LoadedAgent = {
      ...agent,
      close: () => this.close(),
      onToolsChanged: (listener) => {
        this.#listeners.add(listener);
        return () => void this.#listeners.delete(listener);
      },
      followTools: (follower) => void this.#listeners.add(follower),
      unfollowTools: (follower) => void this.#listeners.delete(follower),
    };
    this.#agent = live;
    return live;
  }

  /**
   * Releases what the packs hold (MCP connections, child processes) once no running session follows the agent
   * (sessions sharing one loaded agent: the last to close releases it); `force` releases now (its loader's close).
   * Safe to call again: a bridge re-opens on its next call.
   */
  async close(force = false): Promise<void> {
    if (!force && this.#listeners.size > 0) return;
    this.#open.delete(this); // a long-running server loading agents again and again must not keep them all
    await Promise.all(this.#closers.map(async (close) => close()));
  }

  toolsChanged(previous: readonly string[], next: AnyToolDefinition[]): void {
    const agent = this.#agent;
    const config = this.#config;
    if (!agent || !config) return; // still loading: the list being built is the current one
    const gone = new Set(previous);
    const at = agent.tools.findIndex((t) => gone.has(t.name));
    const kept = agent.tools.filter((t) => !gone.has(t.name));
    const taken = new Set(kept.map((t) => t.name));
    // A new tool that clashes with another of the agent's tools is left out (the file's tools win).
    const added = next.filter((t) => !taken.has(t.name)).map((t) => applyToolDefaults(t, config));
    const tools =
      at < 0 ? [...kept, ...added] : [...kept.slice(0, at), ...added, ...kept.slice(at)];
    const updated: LoadedAgent = { ...agent, tools };
    this.#agent = updated;
    for (const listener of [...this.#listeners]) {
      try {
        if (typeof listener === "function") listener(updated);
        else listener.agentToolsChanged(updated);
      } catch {
        // A listener's failure is its own (the session reports its errors as events).
      }
    }
  }
}
