import { relative } from "node:path";
import type { RunSummary } from "./result.ts";

/**
 * JUnit XML for CI: one `<testsuite>` per scenario file, one `<testcase>` per scenario; a failure carries the failing
 * step and its location, and the transcript goes to `<system-out>`.
 *
 * @example
 * writeFileSync("junit.xml", formatJunitReport(summary, { cwd: process.cwd() }));
 */
export function formatJunitReport(summary: RunSummary, options: { cwd: string }): string {
  const byFile = new Map<string, RunSummary["results"]>();
  for (const r of summary.results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="agent test" tests="${summary.results.length}" failures="${summary.failed}" time="${secs(summary.durationMs)}">`,
  ];
  for (const [file, results] of byFile) {
    const name = relative(options.cwd, file) || file;
    const failures = results.filter((r) => r.status === "failed").length;
    const time = results.reduce((t, r) => t + r.durationMs, 0);
    out.push(
      `  <testsuite name="${esc(name)}" tests="${results.length}" failures="${failures}" time="${secs(time)}">`,
    );
    for (const r of results) {
      out.push(
        `    <testcase classname="${esc(name)}" name="${esc(r.name)}" file="${esc(name)}" line="${r.location.line}" time="${secs(r.durationMs)}">`,
      );
      if (r.status === "failed") {
        const step = r.steps.find((s) => s.status === "failed");
        const where = step ? `${name}:${step.step.location.line}:${step.step.location.col}` : name;
        const message = step
          ? `step ${step.step.index + 1} (${step.step.label}): ${step.message ?? "failed"}`
          : (r.error ?? "failed");
        out.push(
          `      <failure message="${esc(message)}" type="${step ? step.step.kind : "error"}">${esc(`${where}\n${message}`)}</failure>`,
        );
      }
      if (r.transcript.length > 0) {
        const text = r.transcript
          .map((t) => `${(t.at / 1000).toFixed(2)}s ${t.role}: ${t.text}`)
          .join("\n");
        out.push(`      <system-out>${esc(text)}</system-out>`);
      }
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** XML-escapes text and drops characters XML 1.0 cannot carry. */
function esc(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping characters XML forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
  );
}
