import { relative } from "node:path";
import { type AgentFileError, formatProblems, redactMessage } from "@parley/core";
import type { ConsoleProblem } from "./protocol.ts";

/** An invalid save as the page shows it: the terminal's located text (no colours) and the problems one by one. */
export function consoleProblems(
  error: AgentFileError,
  cwd: string,
): { text: string; problems: ConsoleProblem[] } {
  return {
    text: formatProblems(error.problems, error.sources, { cwd }),
    problems: error.problems.map((p) => ({
      file: relative(cwd, p.file) || p.file,
      line: p.line,
      col: p.col,
      code: p.code,
      message: redactMessage(p.message),
      severity: p.severity,
    })),
  };
}
