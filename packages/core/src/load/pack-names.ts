import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The packs a package offers, by its `exports` (`@parley/tools` → `@parley/tools/clock`, `…/http`, …), as seen from
 * `fromFiles` (the agent's folder, then the running program). Empty when the package cannot be found.
 *
 * @example
 * packsOf("@parley/tools", [agentFile]) // ["@parley/tools/call-control", "@parley/tools/clock", …]
 */
export function packsOf(pkg: string, fromFiles: readonly string[]): string[] {
  for (const from of fromFiles) {
    let entry: string;
    try {
      entry = createRequire(from).resolve(pkg);
    } catch {
      continue;
    }
    for (let dir = dirname(entry); dirname(dir) !== dir; dir = dirname(dir)) {
      let manifest: { name?: string; exports?: Record<string, unknown> };
      try {
        manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      } catch {
        continue;
      }
      if (manifest.name !== pkg) continue;
      return Object.keys(manifest.exports ?? {})
        .filter((k) => k.startsWith("./") && !k.endsWith(".json"))
        .map((k) => `${pkg}/${k.slice(2)}`)
        .sort();
    }
  }
  return [];
}
