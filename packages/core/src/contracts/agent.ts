import type { Problem } from "../load/problem.ts";
import type { AgentConfig } from "../schema/agent.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";

// What the loader produces and the compiler, runtime and scheduler consume: defined here, apart from all of them.

/** Another agent this one can pass the conversation to. */
export interface LoadedHandoff {
  /** The other agent's name. */
  name: string;
  /** Its file (absolute). */
  file: string;
  /** The function tool the model calls to hand off: `transfer_to_<name>`. */
  toolName: string;
  /** When to hand off (from the handoff entry, else the other agent's description). */
  description: string;
}

/** A validated agent, ready to compile and run. */
export type LoadedAgent = LoadedAgentFields & FollowsTools;

/**
 * `onToolsChanged` for an object: its `agentToolsChanged` is called until `unfollowTools`. What a running session
 * uses (no closure per session); each follower counts as a listener for `close()`. Both or neither: a session only
 * follows an agent it can unfollow when it closes (else it uses `onToolsChanged`).
 */
export type FollowsTools =
  | {
      followTools(follower: ToolsFollower): void;
      unfollowTools(follower: ToolsFollower): void;
    }
  | { followTools?: undefined; unfollowTools?: undefined };

/** What every LoadedAgent has (see `LoadedAgent`). */
export interface LoadedAgentFields {
  name: string;
  /** Absolute path of the agent file. */
  file: string;
  /** Every file the agent was built from (itself, extends bases, handler modules, local packs): what `agent dev` watches. */
  files: string[];
  /** Extends merged, env interpolated, the `.agent.md` body as `instructions`, defaults applied. */
  config: AgentConfig;
  /** Inline tools with their handlers, and pack tools after only/except/rename/overrides, in file order. */
  tools: AnyToolDefinition[];
  /** Other agents this one can hand the conversation to (compiled as `transfer_to_<name>` function tools). */
  handoffs: LoadedHandoff[];
  /** Problems that do not stop loading (missing env under `missingEnv: "warn"`). */
  warnings: Problem[];
  /**
   * Releases what the agent's packs hold (bridged MCP servers' connections and child processes) once no running
   * session uses the agent: a session calls it when it closes (the last of several sharing the agent releases it).
   * Safe to call again; a bridge re-opens on its next call. `closeAllAgents()` releases every agent at once (the
   * CLI calls it before exiting).
   */
  close?(): Promise<void>;
  /**
   * Calls `listener` with a new LoadedAgent when a pack's tool list changed (a bridged MCP server's
   * `tools/list_changed`): the file's only/except/rename/overrides and the agent's defaults re-applied.
   * A running session applies it with a `session.update`. Returns the unsubscribe function.
   */
  onToolsChanged?(listener: (agent: LoadedAgent) => void): () => void;
}

/** Follows an agent's tool-list changes (see `LoadedAgent.followTools`). */
export interface ToolsFollower {
  agentToolsChanged(agent: LoadedAgent): void;
}
