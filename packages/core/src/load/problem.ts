import { ParleyError, type SourceLocation } from "../errors/index.ts";

/**
 * One thing wrong with an agent file. `path` is the field path (`tools[0].parameters.type`), `line`/`col` are
 * 1-based and point at the offending node (the key itself for unknown keys).
 */
export interface Problem {
  /** Stable: `unknown_key`, `invalid_type`, `missing_env`, `handler_missing_file`, … */
  code: string;
  message: string;
  file: string;
  line: number;
  col: number;
  path: string;
  /** "did you mean …?" or how to fix it. */
  hint?: string;
  severity: "error" | "warning";
}

/**
 * An agent file (or one it depends on) is invalid. `problems` lists everything found, not just the first;
 * the error's `location` is the first problem's.
 *
 * @example
 * try { await loadAgent("bad.agent.yaml") } catch (e) {
 *   if (e instanceof AgentFileError) console.error(formatProblems(e.problems, sources))
 * }
 */
export class AgentFileError extends ParleyError<"agent_file_invalid"> {
  readonly problems: Problem[];
  /** Source text of each file involved, for code frames. */
  readonly sources: Record<string, string>;

  constructor(problems: Problem[], sources: Record<string, string> = {}) {
    const first = problems[0];
    const head = first
      ? `${first.file}:${first.line}:${first.col} ${first.message}`
      : "invalid agent file";
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})`
        : "";
    super("agent_file_invalid", head + more, {
      location: first
        ? ({ file: first.file, line: first.line, col: first.col } satisfies SourceLocation)
        : undefined,
    });
    this.problems = problems;
    this.sources = sources;
  }
}

/** `a.b[0].c` from a zod-like path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string" && /^[A-Za-z_$][\w$-]*$/.test(part))
      out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}
