import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * This CLI's package folder (packages/cli in a clone, node_modules/@parley/cli when installed): the nearest folder
 * above this module (src/install/, or wherever the build put its chunk) whose package.json is @parley/cli.
 */
const CLI_DIR = packageDir(import.meta.dirname);

function packageDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === "@parley/cli")
        return dir;
    } catch {
      // no package.json here
    }
    if (dirname(dir) === dir) return resolve(from, "../..");
  }
}
/** The clone this CLI runs from, or undefined when it is an installed package (which ships no source). */
export const CLONE_ROOT: string | undefined = existsSync(join(CLI_DIR, "src"))
  ? resolve(CLI_DIR, "../..")
  : undefined;

/** `inner` is `outer` or below it. */
export function isInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[a-z]:/i.test(rel));
}

/** The nearest `node_modules/<path>` at or above `from`, as a path through the symlink (not the pnpm store). */
export function findInstalled(from: string, path: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", path);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The command that runs `agent` from `cwd`, for the hints we print: `npx -y pnpm@10 agent` inside the clone,
 * `npx agent` where `@parley/cli` is installed, else this binary by its path.
 */
export function agentCommand(cwd = process.cwd()): string {
  if (CLONE_ROOT && isInside(cwd, CLONE_ROOT)) return "npx -y pnpm@10 agent";
  if (findInstalled(cwd, ".bin/agent")) return "npx agent";
  return `node ${join(CLI_DIR, "bin/agent.js")}`;
}
