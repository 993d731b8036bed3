import { type Document, isAlias, isMap, isNode, isScalar, isSeq, type Node, visit } from "yaml";
import { LOAD_LIMITS } from "./limits.ts";
import { type NodeLocation, registerContainer } from "./source-map.ts";

/** Why a YAML tree could not become plain values, at the node where it stopped. */
export interface TreeProblem {
  code: string;
  message: string;
  hint?: string;
  at: NodeLocation;
}

type At = (start: number, end?: number) => NodeLocation;

/** Thrown inside the walk to stop it at the first bound passed (caught by `yamlToValue`). */
class Stop {
  constructor(readonly problem: TreeProblem) {}
}

/**
 * Turns a parsed YAML document into plain values with registered positions, within bounds: aliases expand (each
 * expansion counts against the value budget, so a "billion laughs" bomb stops at the budget), an alias inside its
 * own anchor is a cycle, nesting is limited, duplicate keys are found with a set (yaml's own check is quadratic),
 * and a `__proto__` key is reported rather than silently changing the object's prototype.
 *
 * @example
 * const { value, problems } = yamlToValue(doc.contents, doc, at);
 */
export function yamlToValue(
  root: Node | null | undefined,
  doc: Document,
  at: At,
): { value: unknown; problems: TreeProblem[] } {
  const problems: TreeProblem[] = [];
  const expanding = new Set<Node>();
  const anchored = anchorsOf(doc);
  let values = 0;
  /** The outermost alias being expanded: where a runaway expansion is reported (the bomb's fuse). */
  let fuse: NodeLocation | undefined;

  const convert = (node: Node | null | undefined, depth: number, from: NodeLocation): unknown => {
    if (!node) return null;
    const range = node.range ?? [0, 0];
    const here = node.range ? at(range[0], range[1]) : from;
    if (++values > LOAD_LIMITS.values)
      throw new Stop({
        code: "file_too_complex",
        message: `the file has more than ${LOAD_LIMITS.values} values${fuse ? " once its aliases are expanded" : ""}`,
        hint: "an agent file is a few hundred values; check for a runaway alias or a generated file",
        at: fuse ?? here,
      });
    if (isAlias(node)) {
      // The nearest anchor of that name before the alias (yaml's own resolve() walks the whole document for
      // every alias: quadratic in a file of many aliases).
      const before = node.range?.[0] ?? 0;
      const target = anchored.get(node.source)?.findLast((n) => (n.range?.[0] ?? 0) < before);
      if (target && expanding.has(target))
        throw new Stop({
          code: "alias_cycle",
          message: `the alias *${node.source} refers to the value it is inside of`,
          hint: "an alias can only repeat a value defined before and outside it",
          at: here,
        });
      if (!target) return null;
      const outermost = expanding.size === 0;
      if (outermost) fuse = here;
      expanding.add(target);
      try {
        return convert(target, depth, here);
      } finally {
        expanding.delete(target);
        if (outermost) fuse = undefined;
      }
    }
    if (isScalar(node)) return node.value;
    if (depth >= LOAD_LIMITS.depth)
      throw new Stop({
        code: "file_too_deep",
        message: `mappings and lists nest more than ${LOAD_LIMITS.depth} deep here`,
        at: here,
      });
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const info = registerContainer(out, here);
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const keyLoc = at(keyNode?.range?.[0] ?? range[0], keyNode?.range?.[1]);
        const valueNode = pair.value as Node | null;
        const valueLoc = valueNode?.range ? at(valueNode.range[0], valueNode.range[1]) : keyLoc;
        if (key === "__proto__") {
          problems.push({
            code: "reserved_key",
            message: 'the key "__proto__" is not allowed (it would change the object itself)',
            at: keyLoc,
          });
          continue;
        }
        if (info.keys.has(key)) {
          problems.push({
            code: "duplicate_key",
            message: `duplicate key "${key}" (it already appears above in the same mapping)`,
            hint: "remove one of them, or merge their contents",
            at: keyLoc,
          });
          continue;
        }
        out[key] = convert(valueNode, depth + 1, valueLoc);
        info.keys.set(key, { key: keyLoc, value: valueLoc });
      }
      return out;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      const info = registerContainer(out, here);
      for (const item of node.items as (Node | null)[]) {
        out.push(convert(item, depth + 1, here));
        info.items.push(item?.range ? at(item.range[0], item.range[1]) : info.self);
      }
      return out;
    }
    return null;
  };

  try {
    return { value: convert(root, 0, at(0)), problems };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { value: undefined, problems: [...problems, error.problem] };
  }
}

/** Every anchored node by anchor name, in document order (one walk of the document). */
function anchorsOf(doc: Document): Map<string, Node[]> {
  const anchors = new Map<string, Node[]>();
  visit(doc, (_key, node) => {
    if (!isNode(node)) return;
    const name = (node as { anchor?: string }).anchor;
    if (!name) return;
    const list = anchors.get(name) ?? [];
    list.push(node);
    anchors.set(name, list);
  });
  return anchors;
}

/**
 * The first place where `[` and `{` nest deeper than the bound, as a character offset, or -1. Checked on the text
 * before the YAML parser sees it: the parser's own handling of thousands of nested flow collections runs out of
 * memory. Counting ignores quoting, so it can only over-count, and real files nest a handful deep.
 */
export function flowTooDeep(text: string, limit = LOAD_LIMITS.depth): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return -1;
}

/**
 * The offset where the text passes `limit` entries, or -1: lines, plus commas inside `[…]`/`{…}` (flow entries),
 * a cheap upper bound on a YAML text's entries that prose (commas outside brackets) does not inflate.
 */
export function tooManyEntries(text: string, limit = LOAD_LIMITS.entries): number {
  let entries = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) depth++;
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
    else if ((c === 0x0a || (c === 0x2c && depth > 0)) && ++entries > limit) return i;
  }
  return -1;
}
