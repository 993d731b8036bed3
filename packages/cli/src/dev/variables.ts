import { ParleyError } from "@parley/core";

/** `--var name=value` pairs as session variables; a pair without `=` is a usage error. */
export function parseVariables(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    if (i <= 0) throw new ParleyError("usage", `--var ${pair}: expected name=value`);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}
