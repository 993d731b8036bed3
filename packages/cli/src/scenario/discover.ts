import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ParleyError } from "@parley/core";
import { findFilesUnder } from "../files/walk.ts";

const SCENARIO = /\.test\.ya?ml$/;

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
    else for (const file of findFilesUnder(abs, SCENARIO)) found.add(file);
  }
  return [...found].sort();
}
