import { ApprovalConditionError, compileCondition } from "../approval/condition.ts";
import { valueAt } from "./located.ts";
import { formatPath, type Problem } from "./problem.ts";
import { locate } from "./source-map.ts";
import { lineStarts, positionAt } from "./text-position.ts";

/** Every place an agent file can write an approval condition (`when:`), as paths into the raw file. */
function conditionPaths(raw: Record<string, unknown>): PropertyKey[][] {
  const paths: PropertyKey[][] = [["approval", "default", "when"]];
  const policyTools = (raw.approval as { tools?: unknown } | undefined)?.tools;
  if (policyTools && typeof policyTools === "object")
    for (const name of Object.keys(policyTools)) paths.push(["approval", "tools", name, "when"]);
  const tools = Array.isArray(raw.tools) ? raw.tools : [];
  tools.forEach((tool, i) => {
    paths.push(["tools", i, "approval", "when"]);
    const overrides = (tool as { overrides?: unknown } | null)?.overrides;
    if (overrides && typeof overrides === "object")
      for (const name of Object.keys(overrides))
        paths.push(["tools", i, "overrides", name, "approval", "when"]);
  });
  return paths;
}

/**
 * Approval conditions are parsed when the file loads, so a typo is a located error now rather than a failed call
 * later. The caret points at the column of the condition where parsing stopped.
 */
export function checkConditions(
  raw: Record<string, unknown>,
  file: string,
  sources: Record<string, string>,
): Problem[] {
  const problems: Problem[] = [];
  for (const path of conditionPaths(raw)) {
    const source = valueAt(raw, path);
    if (typeof source !== "string") continue;
    try {
      compileCondition(source);
    } catch (error) {
      if (!(error instanceof ApprovalConditionError)) throw error;
      const node = locate(raw, path) ?? { file, line: 1, col: 1 };
      let at: { line: number; col: number } = node;
      const text = sources[node.file];
      const found = text && node.start !== undefined ? text.indexOf(source, node.start) : -1;
      if (text && found >= 0 && (node.end === undefined || found < node.end))
        at = positionAt(lineStarts(text), found + error.column - 1);
      problems.push({
        code: "invalid_condition",
        message: error.message.replace(/^approval condition /, "approval condition "),
        hint: "conditions use args.field, comparisons (== != < <= > >=), in, !, && and ||",
        file: node.file,
        line: at.line,
        col: at.col,
        path: formatPath(path),
        severity: "error",
      });
    }
  }
  return problems;
}
