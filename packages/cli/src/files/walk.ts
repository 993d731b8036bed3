import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ignore, { type Ignore } from "ignore";

/**
 * Folders never searched: dependencies, build output, and test fixtures (often broken on purpose; name a fixture
 * file to use it). Dot folders are skipped too.
 */
export const SKIP = new Set(["node_modules", "dist", "coverage", "fixtures"]);

interface IgnoreScope {
  base: string;
  rules: Ignore;
}

/**
 * Every file under `dir` whose name matches `pattern`, sorted: the one walker `agent validate` and `agent test`
 * share. Skips the folders above and whatever a `.gitignore` (in `dir` or any folder below it) ignores.
 *
 * @example
 * findFilesUnder("agents", /\.test\.ya?ml$/) // ["/repo/agents/hotel-concierge/concierge.test.yaml", …]
 */
export function findFilesUnder(dir: string, pattern: RegExp): string[] {
  const found: string[] = [];
  walk(dir, pattern, [], found);
  return found.sort();
}

function walk(dir: string, pattern: RegExp, scopes: IgnoreScope[], found: string[]): void {
  const here = gitignoreOf(dir);
  const active = here ? [...scopes, here] : scopes;
  const entries = readdirSync(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const isDir = entry.isDirectory();
    if (entry.name.startsWith(".") || (isDir && SKIP.has(entry.name))) continue;
    if (active.some((s) => s.rules.ignores(relative(s.base, path) + (isDir ? "/" : "")))) continue;
    if (isDir) walk(path, pattern, active, found);
    else if (entry.isFile() && pattern.test(entry.name)) found.push(path);
  }
}

function gitignoreOf(dir: string): IgnoreScope | undefined {
  const file = join(dir, ".gitignore");
  if (!existsSync(file)) return undefined;
  return { base: dir, rules: ignore().add(readFileSync(file, "utf8")) };
}
