// One line per figure, beside its target: `name: 1.23 ms (target ≤ 2 ms) PASS`. bench/run.ts collects these lines
// into the summary at the end of `pnpm bench`; the targets live here, in the benches, not in doc tables.

export interface Target {
  /** The figure must be at most this. */
  max?: number;
  /** The figure must be at least this. */
  min?: number;
}

const digits = (n: number) => (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2);
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(digits(n)) : String(n));

/** Prints the figure, its target and PASS/FAIL; returns whether it passed. */
export function verdict(name: string, value: number, unit: string, target: Target): boolean {
  const pass =
    Number.isFinite(value) &&
    (target.max === undefined || value <= target.max) &&
    (target.min === undefined || value >= target.min);
  const bounds = [
    target.min !== undefined ? `≥ ${fmt(target.min)}` : "",
    target.max !== undefined ? `≤ ${fmt(target.max)}` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  process.stdout.write(
    `${name}: ${fmt(value)} ${unit} (target ${bounds} ${unit}) ${pass ? "PASS" : "FAIL"}\n`,
  );
  return pass;
}

/** A figure shown for reference (no target): `name: 1.23 ms (reference)`. */
export function figure(name: string, value: number, unit: string): void {
  process.stdout.write(`${name}: ${fmt(value)} ${unit} (reference)\n`);
}

/** Says which interval a bench times, before its figures. */
export function interval(text: string): void {
  process.stdout.write(`interval: ${text}\n`);
}

/** CPU time (user + system) of this process so far, in ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Heap + external after two full collections (needs `--expose-gc`), in bytes. */
export function settledMemory(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc (pnpm bench does)");
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}
