import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ParleyError } from "@parley/core";

const SCENARIO = /\.test\.ya?ml$/;
// Test fixtures are often broken on purpose: searched folders skip them (name a fixture file to run it).
const SKIP = new Set(["node_modules", ".git", "dist", "coverage", "fixtures"]);

/**
 * The scenario files under `paths` (files as given, folders searched for `*.test.yaml`), sorted, without duplicates.
 * No paths means the current folder. Throws `ParleyError` `usage` for a path that does not exist.
 *
 * @example
 * await findScenarioFiles(["agents"]) // ["/repo/agents/hotel-concierge/concierge.test.yaml", …]
 */
export async function findScenarioFiles(
  paths: readonly string[],
  cwd = process.cwd(),
): Promise<string[]> {
  const found = new Set<string>();
  for (const p of paths.length ? paths : ["."]) {
    const abs = resolve(cwd, p);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new ParleyError("usage", `${p}: no such file or folder`);
    if (info.isFile()) found.add(abs);
    else await walk(abs, found);
  }
  return [...found].sort();
}

async function walk(dir: string, found: Set<string>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP.has(e.name) && !e.name.startsWith(".")) await walk(join(dir, e.name), found);
    } else if (SCENARIO.test(e.name)) {
      found.add(join(dir, e.name));
    }
  }
}
