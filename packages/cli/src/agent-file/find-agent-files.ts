import { statSync } from "node:fs";
import { resolve } from "node:path";
import { findFilesUnder } from "../files/walk.ts";

export const AGENT_FILE = /\.agent\.(ya?ml|md|ts|mts|js|mjs)$/;

/** A path argument that does not exist, or a folder without agent files: a usage error (exit 2). */
export class UsageError extends Error {}

/**
 * Expands files and folders to agent files: a folder contributes every `*.agent.{yaml,yml,md,ts}` below it
 * (the walker `agent test` uses: no node_modules, dist, fixtures, dot folders or git-ignored files), sorted; a file is
 * taken as given. No paths: the current folder.
 */
export function findAgentFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths.length ? paths : ["."]) {
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
    const found = findFilesUnder(absolute, AGENT_FILE);
    if (found.length === 0)
      throw new UsageError(`no agent files (*.agent.yaml, *.agent.md, *.agent.ts) under ${path}`);
    out.push(...found);
  }
  return [...new Set(out)];
}
