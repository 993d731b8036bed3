import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/**
 * `sha256:<hex>` of files' contents, in the given order: the same agent files give the same hash on any machine
 * (paths are left out). A file that cannot be read counts as empty.
 */
export function hashFiles(files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of files) {
    try {
      hash.update(readFileSync(file));
    } catch {
      // deleted since the load: its absence still changes the hash through the separator count
    }
    hash.update("\0");
  }
  return `sha256:${hash.digest("hex")}`;
}
