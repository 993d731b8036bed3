// Load + validate + compile of each example agent (warm, in process), and the cold start of
// `agent validate agents/` (a fresh process each time). Prints `name: median X, p99 Y (unit)` lines only.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { median, percentile } from "../../../bench/stats.ts";
import { verdict } from "../../../bench/verdict.ts";
import { compileSession, loadAgent } from "../src/index.ts";

const root = new URL("../../../", import.meta.url).pathname;
const EXAMPLES = {
  "hotel-concierge (yaml)": "agents/hotel-concierge/concierge.agent.yaml",
  "support (md, extends, mcp)": "agents/support/support.agent.md",
  "billing (md, extends, handlers)": "agents/support/billing.agent.md",
  "order-desk (ts)": "agents/order-desk/order-desk.agent.ts",
};
const env = { HELPDESK_MCP_TOKEN: "bench-token" };

function stats(samples: number[]): { median: number; p99: number } {
  return { median: median(samples), p99: percentile(samples, 99) };
}

const fmt = (n: number) => n.toFixed(n < 10 ? 3 : 1);

// Every load reads the file anew with different text (a trailing comment), so the parse is never reused: the clock
// starts before reading and parsing, and includes resolving the tools (handler modules stay imported).
for (const [name, file] of Object.entries(EXAMPLES)) {
  const path = join(root, file);
  const text = readFileSync(path, "utf8");
  let edit = 0;
  const comment = file.endsWith(".ts") ? "//" : file.endsWith(".md") ? "<!--" : "#";
  const close = comment === "<!--" ? " -->" : "";
  const readFile = async (f: string) =>
    f === path ? `${text}\n${comment} edit ${edit++}${close}\n` : readFileSync(f, "utf8");
  for (let i = 0; i < 30; i++) compileSession(await loadAgent(path, { env, readFile }));
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    compileSession(await loadAgent(path, { env, readFile }));
    samples.push(performance.now() - start);
  }
  const { median, p99 } = stats(samples);
  process.stdout.write(
    `load+validate+compile warm, parse not reused, ${name}: median ${fmt(median)}, p99 ${fmt(p99)} (ms)\n`,
  );
  verdict(`load+validate+compile warm median, ${name}`, median, "ms", { max: 20 });
}

// Cold `agent validate` of a YAML agent without TypeScript handlers: CPU (user + system) of the CLI process from
// its start to its exit, read by a preload that prints process.cpuUsage() on exit; the CLI runs from its built
// JavaScript (scripts/build.mjs first, as `pnpm install` does), as a user's would.
{
  spawnSync(process.execPath, [join(root, "scripts/build.mjs"), "--quiet"], { cwd: root });
  const hook = join(root, "packages/core/bench/fixtures/print-cpu.mjs");
  const yaml = join(root, "packages/core/bench/fixtures/plain.agent.yaml");
  const cpu: number[] = [];
  for (let i = 0; i < 10; i++) {
    const run = spawnSync(
      process.execPath,
      ["--import", hook, join(root, "packages/cli/bin/agent.js"), "validate", yaml],
      { cwd: root, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
    );
    const m = /PARLEY_CPU_MS=([\d.]+)/.exec(run.stderr);
    if (run.status !== 0 || !m) {
      process.stderr.write(run.stdout + run.stderr);
      process.exit(1);
    }
    cpu.push(Number(m[1]));
  }
  const base: number[] = [];
  for (let i = 0; i < 10; i++) {
    const run = spawnSync(process.execPath, ["--import", hook, "-e", "0"], { encoding: "utf8" });
    base.push(Number(/PARLEY_CPU_MS=([\d.]+)/.exec(run.stderr)?.[1]));
  }
  process.stdout.write(
    `interval: process start → exit of \`agent validate plain.agent.yaml\` (built CLI), user + system CPU; \`node -e 0\` for reference: ${stats(base).median.toFixed(0)} ms\n`,
  );
  verdict("agent validate cold CPU, YAML agent without TS handlers", stats(cpu).median, "ms", {
    max: 250,
  });
}

const runs = Number(process.env.PARLEY_BENCH_COLD_RUNS ?? 15);
const cold: number[] = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const run = spawnSync(
    process.execPath,
    [join(root, "packages/cli/bin/agent.js"), "validate", "agents/"],
    { cwd: root, encoding: "utf8" },
  );
  cold.push(performance.now() - start);
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    process.exit(1);
  }
}
const c = stats(cold);
process.stdout.write(
  `agent validate agents/ cold (${runs} runs): median ${fmt(c.median)}, p99 ${fmt(c.p99)} (ms)\n`,
);
const baseline: number[] = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  spawnSync(process.execPath, [join(root, "packages/cli/bin/agent.js"), "--help"], { cwd: root });
  baseline.push(performance.now() - start);
}
const b = stats(baseline);
process.stdout.write(
  `agent --help cold, for reference (${runs} runs): median ${fmt(b.median)}, p99 ${fmt(b.p99)} (ms)\n`,
);
