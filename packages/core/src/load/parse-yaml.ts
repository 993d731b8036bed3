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
  if (doc.errors.length > 0) return { value: undefined, problems };
  const converted = yamlToValue(doc.contents, doc, at);
  for (const p of converted.problems) problems.push(problem(p.at, p.code, p.message, p.hint));
  return { value: converted.value, problems };
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
}
