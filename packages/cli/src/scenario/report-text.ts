import { relative } from "node:path";
import pc from "picocolors";
import type { RunSummary, ScenarioResult, TranscriptLine } from "./result.ts";

/** How many transcript lines before the failing step an excerpt shows. */
const EXCERPT_LINES = 8;

/**
 * The readable report: one line per scenario, and for each failure the failing step (with `file:line:col`),
 * what was expected against what happened, and a transcript excerpt up to the failure.
 *
 * @example
 * process.stdout.write(formatTextReport(summary, { cwd: process.cwd(), color: false }));
 */
export function formatTextReport(
  summary: RunSummary,
  options: { cwd: string; color: boolean },
): string {
  return (
    summary.results.map((r) => formatScenarioResult(r, options)).join("") +
    formatSummary(summary, options)
  );
}

/**
 * One scenario's lines of the readable report (printed as each scenario ends).
 *
 * @example
 * process.stdout.write(formatScenarioResult(result, { cwd: process.cwd(), color: true }));
 */
export function formatScenarioResult(
  r: ScenarioResult,
  options: { cwd: string; color: boolean },
): string {
  const c = pc.createColors(options.color);
  const where = relative(options.cwd, r.file) || r.file;
  const mark = r.status === "passed" ? c.green("✓") : c.red("✗");
  const out = [`${mark} ${c.dim(`${where} ›`)} ${r.name} ${c.dim(`(${ms(r.durationMs)})`)}`];
  if (r.status === "failed") out.push(...failureDetail(r, options.cwd, c));
  return `${out.join("\n")}\n`;
}

/** The closing count: `18 scenarios: 17 passed, 1 failed (6.2 s)`. */
export function formatSummary(summary: RunSummary, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const out: string[] = [""];
  const parts = [
    summary.passed ? c.green(`${summary.passed} passed`) : "",
    summary.failed ? c.red(`${summary.failed} failed`) : "",
  ].filter(Boolean);
  const n = summary.results.length;
  out.push(
    `${n} scenario${n === 1 ? "" : "s"}: ${parts.join(", ") || "none run"} ${c.dim(`(${ms(summary.durationMs)})`)}`,
  );
  return `${out.join("\n")}\n`;
}

function failureDetail(
  r: ScenarioResult,
  cwd: string,
  c: ReturnType<typeof pc.createColors>,
): string[] {
  const lines: string[] = [];
  const failed = r.steps.find((s) => s.status === "failed");
  if (r.error) lines.push(`    ${c.red(r.error)}`);
  let until = Number.POSITIVE_INFINITY;
  if (failed) {
    const loc = failed.step.location;
    lines.push(
      `    step ${failed.step.index + 1}: ${c.bold(failed.step.label)}  ${c.dim(`${relative(cwd, loc.file)}:${loc.line}:${loc.col}`)}`,
    );
    for (const l of (failed.message ?? "failed").split("\n")) lines.push(`      ${c.red(l)}`);
    until = failed.at;
  }
  const excerpt = r.transcript.filter((t) => t.at <= until + 1).slice(-EXCERPT_LINES);
  if (excerpt.length > 0) {
    lines.push(`    ${c.dim("transcript:")}`);
    for (const t of excerpt) lines.push(`      ${formatLine(t, c)}`);
  }
  return lines;
}

function formatLine(t: TranscriptLine, c: ReturnType<typeof pc.createColors>): string {
  const who = t.role.padEnd(8);
  const tint = t.role === "user" ? c.cyan : t.role === "agent" ? c.white : c.dim;
  return `${c.dim(`${(t.at / 1000).toFixed(2).padStart(6)}s`)} ${tint(who)} ${t.text}`;
}

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`;
}
