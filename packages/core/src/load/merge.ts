import { cloneInfo, containerInfo, type NodeLocation } from "./source-map.ts";

/** Lists that accumulate across `extends` instead of being replaced, and how their items are identified. */
const KEYED_LISTS: Record<string, (item: unknown) => string | undefined> = {
  tools: (item) =>
    field(item, "name") ??
    (field(item, "use")
      ? `use:${field(item, "use")}`
      : field(item, "handler")
        ? `handler:${field(item, "handler")}`
        : undefined),
  mcp: (item) => field(item, "label"),
  handoffs: (item) => (typeof item === "string" ? item : field(item, "agent")),
};

function field(item: unknown, key: string): string | undefined {
  const value =
    item && typeof item === "object" ? (item as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Merges an agent file over its base (the documented `extends` rules):
 * - mappings merge key by key, recursively; the child's value wins;
 * - lists are replaced, except `tools`, `mcp` and `handoffs`, which accumulate: the base's items first, and a
 *   child item with the same identity (tool `name`, else its `handler`; pack `use`; MCP `label`; handoff path)
 *   replaces the base's in place;
 * - `extends` itself is not inherited; everything else is, including `name` (a child usually sets its own).
 * Source positions follow the values, so errors still point into the file each value came from.
 */
export function mergeAgentFiles(
  base: Record<string, unknown>,
  child: Record<string, unknown>,
): Record<string, unknown> {
  const out = mergeObjects(base, child, true);
  delete out.extends;
  return out;
}

function mergeObjects(
  base: Record<string, unknown>,
  child: Record<string, unknown>,
  top: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const info = cloneInfo(base, out, containerInfo(child)?.self ?? { file: "", line: 1, col: 1 });
  const childInfo = containerInfo(child);
  if (childInfo) info.self = childInfo.self;
  for (const [key, value] of Object.entries(base)) out[key] = value;
  for (const [key, value] of Object.entries(child)) {
    const before = out[key];
    const keyed = top ? KEYED_LISTS[key] : undefined;
    if (keyed && Array.isArray(before) && Array.isArray(value))
      out[key] = mergeLists(before, value, keyed);
    else if (isPlainObject(before) && isPlainObject(value))
      out[key] = mergeObjects(before, value, false);
    else out[key] = value;
    const loc = childInfo?.keys.get(key);
    if (loc) info.keys.set(key, loc);
  }
  return out;
}

function mergeLists(
  base: unknown[],
  child: unknown[],
  identify: (item: unknown) => string | undefined,
): unknown[] {
  const out: unknown[] = [];
  const baseItems = containerInfo(base)?.items ?? [];
  const childItems = containerInfo(child)?.items ?? [];
  const info = cloneInfo(child, out, { file: "", line: 1, col: 1 });
  info.items = [];
  const replaced = new Set<number>();
  base.forEach((item, i) => {
    const id = identify(item);
    const j = id === undefined ? -1 : child.findIndex((c) => identify(c) === id);
    if (j >= 0) replaced.add(j);
    out.push(j >= 0 ? child[j] : item);
    const loc = j >= 0 ? childItems[j] : baseItems[i];
    info.items.push(loc as NodeLocation);
  });
  child.forEach((item, j) => {
    if (replaced.has(j)) return;
    out.push(item);
    const loc = childItems[j];
    info.items.push(loc as NodeLocation);
  });
  return out;
}
