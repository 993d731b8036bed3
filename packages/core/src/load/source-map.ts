/**
 * Where each value of a parsed agent file came from. Objects and arrays built by the parsers (and by the extends
 * merge) are registered here, so a zod issue path can be turned into `file:line:col` even after files were merged.
 */

/** A position in a file; `start`/`end` are character offsets of the node, when known. */
export interface NodeLocation {
  file: string;
  line: number;
  col: number;
  start?: number;
  end?: number;
}

interface ContainerInfo {
  self: NodeLocation;
  /** For objects: the key's own position and the value's. */
  keys: Map<string, { key: NodeLocation; value: NodeLocation }>;
  /** For arrays: each item's position. */
  items: NodeLocation[];
}

const registry = new WeakMap<object, ContainerInfo>();

export function registerContainer(container: object, self: NodeLocation): ContainerInfo {
  const info: ContainerInfo = { self, keys: new Map(), items: [] };
  registry.set(container, info);
  return info;
}

export function containerInfo(container: unknown): ContainerInfo | undefined {
  return container && typeof container === "object" ? registry.get(container) : undefined;
}

/** Position of the value under `key` of `container` (the key itself with `onKey`). */
export function childLocation(
  container: unknown,
  key: PropertyKey,
  onKey = false,
): NodeLocation | undefined {
  const info = containerInfo(container);
  if (!info) return undefined;
  if (Array.isArray(container)) return typeof key === "number" ? info.items[key] : undefined;
  const entry = info.keys.get(String(key));
  return entry ? (onKey ? entry.key : entry.value) : undefined;
}

/**
 * The most precise position for `path` inside `root`: the node itself, else its nearest located ancestor
 * (a missing required key points at the object that lacks it).
 *
 * @example
 * locate(raw, ["tools", 0, "timeout"]) // { file, line: 12, col: 14 }
 */
export function locate(
  root: unknown,
  path: readonly PropertyKey[],
  onKey = false,
): NodeLocation | undefined {
  let current: unknown = root;
  let best = containerInfo(root)?.self;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as PropertyKey;
    const here = childLocation(current, key, onKey && i === path.length - 1);
    if (!here) break;
    best = here;
    if (current === null || typeof current !== "object") break;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return best;
}

/** Copies the location record of `from` (or makes an empty one) onto a new container. */
export function cloneInfo(
  from: object | undefined,
  to: object,
  fallback: NodeLocation,
): ContainerInfo {
  const source = from ? registry.get(from) : undefined;
  const info: ContainerInfo = {
    self: source?.self ?? fallback,
    keys: new Map(source?.keys ?? []),
    items: [...(source?.items ?? [])],
  };
  registry.set(to, info);
  return info;
}

/** A deep copy of parsed values that keeps their registered positions (for reusing a parse of an unchanged file). */
export function cloneLocated<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  const info = registry.get(value);
  const copy: unknown = Array.isArray(value)
    ? value.map(cloneLocated)
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneLocated(v)]));
  if (info) registry.set(copy as object, { self: info.self, keys: info.keys, items: info.items });
  return copy as T;
}
