import { LazyMap } from "../collections/lazy.ts";
/** What a second call with the same tool and arguments does while the first is still in flight. */
export type DuplicatePolicy = "allow" | "reject" | "replace";

/**
 * A stable key for "same tool, same arguments": keys sorted at every depth, so `{a:1,b:2}` and `{b:2,a:1}` match.
 *
 * @example
 * callFingerprint("lookup", { b: 2, a: 1 }) === callFingerprint("lookup", { a: 1, b: 2 }) // true
 */
export function callFingerprint(tool: string, args: unknown): string {
  return `${tool}\u0000${canonicalJson(args)}`;
}

/** JSON with keys sorted at every depth: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The calls in flight per fingerprint, for tools whose duplicate policy is not "allow". */
export class InFlightCalls<C> {
  readonly #byKey = new LazyMap<string, Set<C>>();

  /** Calls in flight with this fingerprint. */
  twins(key: string): C[] {
    return [...(this.#byKey.get(key) ?? [])];
  }

  add(key: string, call: C): void {
    const set = this.#byKey.get(key) ?? new Set<C>();
    this.#byKey.set(key, set.add(call));
  }

  remove(key: string, call: C): void {
    const set = this.#byKey.get(key);
    set?.delete(call);
    if (set?.size === 0) this.#byKey.delete(key);
  }
}
