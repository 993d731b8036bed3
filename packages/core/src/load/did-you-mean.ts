/** Edit distance (insert, delete, substitute, swap adjacent), small strings only. */
function distance(a: string, b: string): number {
  // Two rows are enough for the edit distance; a third (two back) for adjacent swaps.
  let twoBack: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (twoBack[j - 2] ?? 0) + 1);
      current.push(best);
    }
    twoBack = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The closest candidate to a misspelled word, or undefined when nothing is close enough to be a likely typo.
 *
 * @example
 * didYouMean("instrucions", ["instructions", "tools"]) // "instructions"
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    // Lengths further apart than any accepted distance cannot be a typo: skipping them keeps a 20 MB value
    // from costing minutes here.
    if (
      Math.abs(c.length - lower.length) >
      Math.max(2, Math.floor(Math.max(c.length, word.length) / 3))
    )
      continue;
    // snake_case vs camelCase of the same key is the most common slip.
    const score = c.replace(/[_-]/g, "") === lower.replace(/[_-]/g, "") ? 0 : distance(lower, c);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  return bestScore <= limit ? best : undefined;
}
