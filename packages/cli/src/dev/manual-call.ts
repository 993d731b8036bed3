import type { LoadedAgent } from "@parley/core";
import type { DevView } from "./view.ts";

/** `/call <tool> <json>`: runs the tool's handler right here, as the scheduler would, and shows its outcome. */
export async function callTool(
  agent: LoadedAgent,
  name: string,
  args: Record<string, unknown>,
  view: DevView,
  variables: Record<string, unknown>,
) {
  const tool = agent.tools.find((t) => t.name === name);
  if (!tool) {
    view.problem(
      `/call: no tool named "${name}" (tools: ${agent.tools.map((t) => t.name).join(", ") || "none"})`,
    );
    return;
  }
  const callId = `manual_${Date.now().toString(36)}`;
  const at = Date.now();
  view.toolCall({ type: "tool.call", callId, tool: name, arguments: args, at });
  const controller = new AbortController();
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  try {
    const result = await (tool.run as (a: unknown, ctx: unknown) => unknown)(args, {
      signal: controller.signal,
      progress: (message: string) =>
        view.toolProgress({ type: "tool.progress", callId, tool: name, message, at: Date.now() }),
      variables: { ...agent.config.variables, ...variables },
      log,
      callId,
    });
    view.toolOutput({
      type: "tool.output",
      callId,
      tool: name,
      state: "completed",
      output: JSON.stringify(result ?? null),
      ms: Date.now() - at,
      at: Date.now(),
    });
  } catch (error) {
    view.toolOutput({
      type: "tool.output",
      callId,
      tool: name,
      state: "failed",
      output: errorText(error),
      ms: Date.now() - at,
      at: Date.now(),
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
