import type { AgentConfig } from "../schema/agent.ts";
import { problemAt } from "./located.ts";
import type { Problem } from "./problem.ts";

/**
 * Realtime models that reason (and so take `reasoning` and `parallel_tool_calls`): `gpt-realtime-2` and later
 * versions of the family (`gpt-realtime-2.1`, `gpt-realtime-2.1-mini`, `gpt-realtime-3`…). Names outside the known
 * families are given the benefit of the doubt (a new model the API takes), and so are not refused.
 */
export function isReasoningModel(model: string): boolean | undefined {
  const version = /^gpt-realtime-(\d+)(?:\.\d+)?(?:-|$)/.exec(model);
  if (version) return Number(version[1]) >= 2 && !/^gpt-realtime-\d{4}-/.test(model);
  if (/^(gpt-realtime|gpt-4o(-mini)?-realtime|gpt-audio)/.test(model)) return false;
  return undefined;
}

/** Settings the agent's model does not take: a located error each, rather than a session the API refuses. */
export function checkModelSettings(config: AgentConfig, raw: unknown, file: string): Problem[] {
  if (isReasoningModel(config.model) !== false) return [];
  const problems: Problem[] = [];
  const refuse = (path: string, field: string) =>
    problems.push(
      problemAt(
        raw,
        [path],
        "model_setting_unsupported",
        `${config.model} does not take ${field}: only reasoning Realtime models (gpt-realtime-2 and later) do`,
        file,
        { hint: `set model: gpt-realtime-2 (or later), or remove ${path}`, onKey: true },
      ),
    );
  if (config.reasoning) refuse("reasoning", "reasoning.effort");
  if (config.parallelToolCalls !== undefined) refuse("parallelToolCalls", "parallel_tool_calls");
  return problems;
}
