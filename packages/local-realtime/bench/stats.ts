// Small helpers shared by the benchmarks: percentiles and the figure line format of `pnpm bench`.

export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

/** Prints `name: median X, p99 Y (unit)`, the one line format benchmarks write to stdout. */
export function report(name: string, values: number[], unit: string): void {
  process.stdout.write(
    `${name}: median ${round(percentile(values, 50))}, p99 ${round(percentile(values, 99))} (${unit})\n`,
  );
}
