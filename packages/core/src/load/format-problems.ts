import { relative } from "node:path";
import { REDACTED, redactMessage, redactString } from "../log/redact.ts";
import type { Problem } from "./problem.ts";

export interface FormatOptions {
  /** Paths are shown relative to this folder (default: as they are). */
  cwd?: string;
  /** Colours a part of the output (the CLI passes picocolors); identity by default. */
  paint?: (
    part: "error" | "warning" | "location" | "hint" | "caret" | "dim",
    text: string,
  ) => string;
}

/**
 * Renders problems for a person: `file:line:col`, the field path, the message, the hint and a code frame with a
 * caret under the offending node, like `yaml`'s pretty errors.
 *
 * @example
 * console.error(formatProblems(error.problems, error.sources, { cwd: process.cwd() }))
 */
export function formatProblems(
  problems: readonly Problem[],
  sources: Record<string, string> = {},
  options: FormatOptions = {},
): string {
  const paint = options.paint ?? ((_part, text) => text);
  const blocks = problems.map((p) => {
    const file = options.cwd ? relative(options.cwd, p.file) || p.file : p.file;
    const head = `${paint(p.severity, `${p.severity}[${p.code}]`)} ${paint("location", `${file}:${p.line}:${p.col}`)}${p.path ? paint("dim", `  ${p.path}`) : ""}`;
    // Messages can quote what a server printed or answered (an MCP server's stderr, an HTTP error body).
    const lines = [head, `  ${redactMessage(p.message)}`];
    if (p.hint) lines.push(`  ${paint("hint", p.hint)}`);
    const frame = codeFrame(sources[p.file], p.line, p.col, paint, p.code === "literal_secret");
    if (frame) lines.push("", frame);
    return lines.join("\n");
  });
  return blocks.join("\n\n");
}

function codeFrame(
  source: string | undefined,
  line: number,
  col: number,
  paint: NonNullable<FormatOptions["paint"]>,
  secret: boolean,
): string | undefined {
  if (!source) return undefined;
  const all = source.split(/\r?\n/);
  if (line < 1 || line > all.length) return undefined;
  const from = Math.max(1, line - 1);
  const to = Math.min(all.length, line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const marker = n === line ? ">" : " ";
    let text = redactString(all[n - 1] ?? "");
    // The line that holds a literal credential is shown up to the value only.
    if (secret && n === line) text = `${text.slice(0, col - 1)}${REDACTED}`;
    out.push(paint("dim", `  ${marker} ${String(n).padStart(width)} | `) + text);
    if (n === line)
      out.push(
        paint("dim", `    ${" ".repeat(width)} | `) +
          " ".repeat(Math.max(0, col - 1)) +
          paint("caret", "^"),
      );
  }
  return out.join("\n");
}
