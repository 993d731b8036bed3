import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from "yaml";
import type { Problem } from "./problem.ts";
import { type NodeLocation, registerContainer } from "./source-map.ts";

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
  const doc = parseDocument(text, {
    lineCounter,
    version: "1.2",
    schema: "core",
    uniqueKeys: true,
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
    const loc = at(error.pos[0]);
    const duplicate = error.code === "DUPLICATE_KEY";
    const key = duplicate ? /^[^:\s]+/.exec(text.slice(error.pos[0]))?.[0] : undefined;
    problems.push({
      code: duplicate ? "duplicate_key" : "yaml_syntax",
      message: duplicate
        ? `duplicate key ${key ? `"${key}" ` : ""}(it already appears above in the same mapping)`
        : `YAML syntax error: ${firstLine(error.message)}`,
      ...(duplicate ? { hint: "remove one of them, or merge their contents" } : {}),
      file,
      line: loc.line,
      col: loc.col,
      path: "",
      severity: "error",
    });
  }
  const value = doc.errors.some((e) => e.code !== "DUPLICATE_KEY")
    ? undefined
    : toValue(doc.contents, doc, at);
  return { value, problems: rootCause(problems, text, lineOffset) };
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

function toValue(
  node: Node | null | undefined,
  doc: Document,
  at: (start: number, end?: number) => NodeLocation,
): unknown {
  if (!node) return null;
  if (isAlias(node)) return toValue(node.resolve(doc) as Node | undefined, doc, at);
  if (isScalar(node)) return node.value;
  const range = node.range ?? [0, 0];
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const info = registerContainer(out, at(range[0], range[1]));
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const keyLoc = at(keyNode?.range?.[0] ?? range[0], keyNode?.range?.[1]);
      const valueNode = pair.value as Node | null;
      const valueLoc = valueNode?.range ? at(valueNode.range[0], valueNode.range[1]) : keyLoc;
      out[key] = toValue(valueNode, doc, at);
      info.keys.set(key, { key: keyLoc, value: valueLoc });
    }
    return out;
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    const info = registerContainer(out, at(range[0], range[1]));
    for (const item of node.items as (Node | null)[]) {
      out.push(toValue(item, doc, at));
      info.items.push(item?.range ? at(item.range[0], item.range[1]) : info.self);
    }
    return out;
  }
  return null;
}
