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
  return { value, problems };
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
