import {
  AgentFileError,
  type LoadAgentOptions,
  type LoadedAgent,
  loadAgent,
  type Session,
} from "@parley/core";
import { summarizeChange } from "./change-summary.ts";

export type ReloadOutcome =
  | { kind: "reloaded"; agent: LoadedAgent; summary: string; ms: number }
  /** The saved files are invalid: located problems; the session still runs the previous version. */
  | { kind: "invalid"; error: AgentFileError }
  | { kind: "failed"; message: string };

/**
 * Live reload, as `agent dev` and its browser console do it: load and validate `file` again, then apply it to the
 * running session (`session.updateAgent`, which waits for `session.updated`). An invalid file changes nothing.
 *
 * @example
 * const outcome = await reloadAgent(session, agent.file, agent, changed, { env: process.env });
 * if (outcome.kind === "reloaded") agent = outcome.agent;
 */
export async function reloadAgent(
  session: Session,
  file: string,
  current: LoadedAgent,
  changed: readonly string[],
  loadOptions: LoadAgentOptions,
): Promise<ReloadOutcome> {
  const t0 = performance.now();
  let next: LoadedAgent;
  try {
    next = await loadAgent(file, loadOptions);
  } catch (error) {
    if (error instanceof AgentFileError) return { kind: "invalid", error };
    return { kind: "failed", message: `reload failed: ${errorText(error)}` };
  }
  try {
    await session.updateAgent(next);
  } catch (error) {
    return { kind: "failed", message: `reload failed: ${errorText(error)}` };
  }
  return {
    kind: "reloaded",
    agent: next,
    summary: summarizeChange(current, next, changed),
    ms: Math.round(performance.now() - t0),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
