import type { AgentConfig } from "../schema/agent.ts";
import { didYouMean } from "./did-you-mean.ts";
import { problemAt } from "./located.ts";
import type { Problem } from "./problem.ts";
import type { ResolvedTool } from "./resolve-all-tools.ts";

/**
 * Every key of `approval.tools` names a tool of the agent (or, as `<mcp label>/<tool>` or `<mcp label>/*`, a tool
 * of one of its MCP servers): a rule for a misspelt name would silently never apply.
 */
export function checkApprovalTools(
  config: AgentConfig,
  resolved: ResolvedTool[],
  raw: unknown,
  absolute: string,
): Problem[] {
  const problems: Problem[] = [];
  const toolNames = new Set(resolved.map((r) => r.tool.name));
  const mcpLabels = new Set((config.mcp ?? []).map((m) => m.label));
  for (const tool of Object.keys(config.approval?.tools ?? {})) {
    if (toolNames.has(tool)) continue;
    // "<mcp label>/<tool>" and "<mcp label>/*": rules for the API's MCP approval requests (see docs/tools.md).
    if (mcpLabels.has(tool.split("/")[0] ?? "") && tool.includes("/")) continue;
    const guess = didYouMean(tool, toolNames);
    problems.push(
      problemAt(
        raw,
        ["approval", "tools", tool],
        "unknown_tool",
        `approval rule for "${tool}", but the agent has no such tool`,
        absolute,
        {
          onKey: true,
          hint: guess
            ? `did you mean "${guess}"?`
            : `its tools: ${[...toolNames].join(", ") || "none"}`,
        },
      ),
    );
  }
  return problems;
}
