import { LineCounter, parseDocument } from "yaml";
import { LOAD_LIMITS } from "./limits.ts";
import type { Problem } from "./problem.ts";
import type { NodeLocation } from "./source-map.ts";
import { flowTooDeep, tooManyEntries, yamlToValue } from "./yaml-to-value.ts";

export interface ParsedSource {
  value: unknown;
  problems: Problem[];
}

/**
 * Parses YAML 1.2 (core schema: `no` stays a string) into plain values whose positions are registered in the
 * source map. Syntax errors and duplicate keys become problems; parsing continues as far as the text allows.
 * `lineOffset`/`charOffset` place a front-matter block inside its Markdown file.
 *
 * @example
 * const { value, problems } = parseYamlSource("name: concierge\n", "/abs/concierge.agent.yaml");
 */
export function parseYamlSource(
  text: string,
  file: string,
  lineOffset = 0,
  charOffset = 0,
): ParsedSource {
  const lineCounter = new LineCounter();
  const problem = (
    loc: { line: number; col: number },
    code: string,
    message: string,
    hint?: string,
  ): Problem => ({
    code,
    message,
    ...(hint ? { hint } : {}),
    file,
    line: loc.line,
    col: loc.col,
    path: "",
    severity: "error",
  });
  const refuse = (offset: number, code: string, message: string): ParsedSource => {
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    const col = offset - before.lastIndexOf("\n");
    return {
      value: undefined,
      problems: [problem({ line: line + lineOffset, col }, code, message)],
    };
  };
  const tooDeep = flowTooDeep(text, LOAD_LIMITS.depth * 2);
  if (tooDeep >= 0)
    return refuse(
      tooDeep,
      "file_too_deep",
      `[ and { nest more than ${LOAD_LIMITS.depth * 2} deep here`,
    );
  const tooMany = tooManyEntries(text);
  if (tooMany >= 0)
    return refuse(
      tooMany,
      "file_too_complex",
      `the file has more than ${LOAD_LIMITS.entries} lines and list entries; an agent file is a few hundred`,
    );
  // Duplicate keys are found while converting (yaml's uniqueKeys check is quadratic in the mapping's size).
  const doc = parseDocument(text, {
    lineCounter,
    version: "1.2",
    schema: "core",
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
  });
  const at = (offset: number, end?: number): NodeLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return {
      file,
      line: line + lineOffset,
      col,
      start: offset + charOffset,
      end: (end ?? offset) + charOffset,
    };
  };
  const problems: Problem[] = [];
  for (const error of doc.errors) {
    problems.push(
      problem(at(error.pos[0]), "yaml_syntax", `YAML syntax error: ${firstLine(error.message)}`),
    );
  }
  if (doc.errors.length > 0)
    return { value: undefined, problems: rootCause(problems, text, lineOffset) };
  const converted = yamlToValue(doc.contents, doc, at);
  for (const p of converted.problems) problems.push(problem(p.at, p.code, p.message, p.hint));
  return { value: converted.value, problems };
}

/**
 * One indentation slip or tab makes the YAML parser report several errors, each a consequence of the first: keep
 * the first syntax error alone, placed on the slip itself when there is one (a line indented deeper than the line
 * above, which opens nothing) with what to do about it.
 */
function rootCause(problems: Problem[], text: string, lineOffset: number): Problem[] {
  const first = problems.find((p) => p.code === "yaml_syntax");
  if (!first) return problems;
  const kept = problems.filter((p) => p.code !== "yaml_syntax" || p === first);
  const slip = indentationSlip(text);
  if (!slip) return kept;
  return kept.map((p) =>
    p === first
      ? {
          ...p,
          line: slip.line + lineOffset,
          col: slip.col,
          message: `YAML syntax error: ${slip.message}`,
          hint: slip.hint,
        }
      : p,
  );
}

function indentationSlip(
  text: string,
): { line: number; col: number; message: string; hint: string } | undefined {
  const lines = text.split(/\r?\n/);
  let previous: { indent: number; opens: boolean } | undefined;
  let blockScalar: number | undefined; // the indentation of a `key: |` line: deeper lines are its text
  for (const [i, raw] of lines.entries()) {
    if (!raw.trim() || raw.trimStart().startsWith("#")) continue;
    const lead = /^[ \t]*/.exec(raw)?.[0] ?? "";
    if (blockScalar !== undefined && lead.length > blockScalar) continue;
    blockScalar = undefined;
    if (lead.includes("\t"))
      return {
        line: i + 1,
        col: lead.indexOf("\t") + 1,
        message: "a tab in the indentation",
        hint: "YAML indents with spaces only: replace the tab with spaces",
      };
    if (previous && lead.length > previous.indent && !previous.opens)
      return {
        line: i + 1,
        col: lead.length + 1,
        message: `this line is indented ${lead.length} spaces, deeper than the line above (${previous.indent}), which opens nothing`,
        hint: `indent it by ${previous.indent} spaces, like the line above`,
      };
    let body = raw.slice(lead.length);
    let indent = lead.length;
    // `- key: value` starts a mapping whose next keys line up with `key`.
    while (body.startsWith("- ")) {
      body = body.slice(2).trimStart();
      indent = raw.length - body.length;
    }
    if (/:\s*[|>][-+0-9]*\s*$/.test(body)) blockScalar = lead.length;
    // A line opens a block when it ends with ":" (a key whose value is below) or is a bare "-".
    previous = { indent, opens: /:\s*$/.test(body) || body === "-" || blockScalar !== undefined };
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
}
