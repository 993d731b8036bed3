import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const AGENT_FILE = /\.agent\.(ya?ml|md|ts|mts|js|mjs)$/;

/** A path argument that does not exist, or a folder without agent files: a usage error (exit 2). */
export class UsageError extends Error {}

/**
 * Expands files and folders to agent files: a folder contributes every `*.agent.{yaml,yml,md,ts}` below it
 * (skipping node_modules and dot folders), sorted; a file is taken as given.
 */
export function findAgentFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(absolute);
    } catch {
      throw new UsageError(`no such file or folder: ${path}`);
    }
    if (!stats.isDirectory()) {
      out.push(absolute);
      continue;
    }
    const found = walk(absolute);
    if (found.length === 0)
      throw new UsageError(`no agent files (*.agent.yaml, *.agent.md, *.agent.ts) under ${path}`);
    out.push(...found);
  }
  return [...new Set(out)];
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(path));
    else if (AGENT_FILE.test(entry.name)) files.push(path);
  }
  return files;
}
