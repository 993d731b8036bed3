/** `850 ms`, `1.2 s`. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `$0.0123`, with `~` and "estimate" when nothing was billed (the local server). */
export function cost(usd: number, estimate: boolean): string {
  const text = `$${usd.toFixed(usd < 0.01 ? 4 : 2)}`;
  return estimate ? `~${text}` : text;
}
