import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { ParleyError } from "@parley/core";

/** Session log files (`*.jsonl`) in a folder, oldest first (their names start with the start time). */
export function logFiles(dir: string): string[] {
  const folder = resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new ParleyError(
      "usage",
      `${dir}: no such folder (session logs are written to .parley/logs by default)`,
    );
  return readdirSync(folder)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .map((name) => join(folder, name));
}

/**
 * The log a user names: a path to a file, or an id in `dir` (the file name without `.jsonl`, or any unique part of
 * it, such as the random suffix `agent logs` shows).
 */
export function findLog(name: string, dir: string): string {
  if (name.endsWith(".jsonl") && existsSync(name)) return resolve(name);
  const ref = basename(name).replace(/\.jsonl$/, "");
  const files = logFiles(dir);
  const exact = files.find((f) => basename(f, ".jsonl") === ref);
  if (exact) return exact;
  const matches = files.filter((f) => basename(f, ".jsonl").includes(ref));
  if (matches.length === 1) return matches[0] as string;
  if (matches.length === 0)
    throw new ParleyError("usage", `no session log "${ref}" in ${dir} (agent logs lists them)`);
  throw new ParleyError(
    "usage",
    `"${ref}" names ${matches.length} session logs in ${dir}: ${matches
      .slice(0, 5)
      .map((f) => basename(f, ".jsonl"))
      .join(", ")}${matches.length > 5 ? ", …" : ""}`,
  );
}
