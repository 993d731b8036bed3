import { relative } from "node:path";
import { AgentFileError, formatProblems, type Problem } from "@parley/core/load";
import { isParleyError } from "@parley/core/pack";
import pc from "picocolors";

export const paint = (
  part: "error" | "warning" | "location" | "hint" | "caret" | "dim",
  text: string,
): string => {
  switch (part) {
    case "error":
      return pc.red(pc.bold(text));
    case "warning":
      return pc.yellow(pc.bold(text));
    case "location":
      return pc.cyan(text);
    case "hint":
      return pc.green(text);
    case "caret":
      return pc.red(text);
    default:
      return pc.dim(text);
  }
};

/** Problems of a failed load as data: an AgentFileError's own, or one for any other ParleyError. */
export function problemsOf(
  error: unknown,
  file: string,
): { problems: Problem[]; sources: Record<string, string> } {
  if (error instanceof AgentFileError) return { problems: error.problems, sources: error.sources };
  const message = isParleyError(error)
    ? error.message
    : `internal error: ${error instanceof Error ? error.message : String(error)}`;
  const code = isParleyError(error) ? error.code : "internal_error";
  const loc = isParleyError(error) ? error.location : undefined;
  return {
    problems: [
      {
        code,
        message,
        file: loc?.file ?? file,
        line: loc?.line ?? 1,
        col: loc?.col ?? 1,
        path: "",
        severity: "error",
      },
    ],
    sources: {},
  };
}

/** Human rendering of problems, paths relative to the working folder. */
export function renderProblems(
  problems: readonly Problem[],
  sources: Record<string, string>,
): string {
  return formatProblems(problems, sources, { cwd: process.cwd(), paint });
}

export function shortPath(file: string): string {
  return relative(process.cwd(), file) || file;
}
