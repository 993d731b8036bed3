import { readFileSync } from "node:fs";

/** Lines two texts share, as a share of both (Dice's coefficient over lines, each line counted as often as it occurs). */
export function similarity(a: string, b: string): number {
  const left = a
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const right = b
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  if (!left.length && !right.length) return 1;
  const counts = new Map<string, number>();
  for (const line of left) counts.set(line, (counts.get(line) ?? 0) + 1);
  let shared = 0;
  for (const line of right) {
    const n = counts.get(line) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(line, n - 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}

/** Half the lines the same, as git's rename detection assumes by default. */
const RENAMED = 0.5;

/**
 * Pairs agents gone since a revision with new ones in the working tree whose text is most alike (at least half the
 * lines the same): those were renamed or moved. Each new file is paired at most once.
 *
 * @example
 * await renames(["/r/desk.agent.yaml"], ["/r/front-desk.agent.yaml"], (f) => revisions.textAt("HEAD", f))
 * // Map { "/r/desk.agent.yaml" => "/r/front-desk.agent.yaml" }
 */
export async function renames(
  gone: readonly string[],
  added: readonly string[],
  oldText: (file: string) => Promise<string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const free = new Map(added.map((f) => [f, readFileSync(f, "utf8")]));
  for (const file of gone) {
    const before = await oldText(file);
    let best: { file: string; score: number } | undefined;
    for (const [candidate, text] of free) {
      const score = similarity(before, text);
      if (score >= RENAMED && (!best || score > best.score)) best = { file: candidate, score };
    }
    if (!best) continue;
    out.set(file, best.file);
    free.delete(best.file);
  }
  return out;
}
