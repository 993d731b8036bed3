// The benches' one statistics module: every median and percentile `pnpm bench` prints comes from here, by one rule.
// Rule: nearest rank. The q-quantile of n samples is the smallest sample with at least q·n samples at or below it
// (sorted[ceil(q·n) − 1]); the median of an even count is the lower middle sample, never an average.

/** The q-quantile (0 < q ≤ 1) of the samples, nearest rank; NaN for none. The samples need not be sorted. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at] as number;
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/** The p-th percentile (0 < p ≤ 100): `percentile(x, 99)` is `quantile(x, 0.99)`. */
export function percentile(samples: readonly number[], p: number): number {
  return quantile(samples, p / 100);
}

export interface ReportOptions {
  /** Decimals (default 2). */
  digits?: number;
  /** Percentiles to print (default [50, 99]; 50 is printed as "median"). */
  percentiles?: readonly number[];
  /** Add `n=<count>` after the unit. */
  count?: boolean;
}

/** Prints `name: median X, p99 Y (unit)`, the distribution line of `pnpm bench` (a figure without a target). */
export function report(
  name: string,
  samples: readonly number[],
  unit: string,
  options: ReportOptions = {},
): void {
  const digits = options.digits ?? 2;
  const parts = (options.percentiles ?? [50, 99]).map(
    (p) => `${p === 50 ? "median" : `p${p}`} ${percentile(samples, p).toFixed(digits)}`,
  );
  const tail = options.count ? `${unit}, n=${samples.length}` : unit;
  process.stdout.write(`${name}: ${parts.join(", ")} (${tail})\n`);
}
