import { formatPath, type Problem } from "./problem.ts";
import { locate } from "./source-map.ts";

/** Builds a problem located at `path` inside a parsed (and possibly merged) agent file. */
export function problemAt(
  root: unknown,
  path: PropertyKey[],
  code: string,
  message: string,
  fallbackFile: string,
  options: { hint?: string; onKey?: boolean; severity?: "error" | "warning" } = {},
): Problem {
  const loc = locate(root, path, options.onKey) ?? { file: fallbackFile, line: 1, col: 1 };
  return {
    code,
    message,
    ...(options.hint ? { hint: options.hint } : {}),
    file: loc.file,
    line: loc.line,
    col: loc.col,
    path: formatPath(path),
    severity: options.severity ?? "error",
  };
}

/** The value at `path` inside a parsed agent file (undefined when the path leaves the tree). */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
