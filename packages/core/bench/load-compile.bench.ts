// Load + validate + compile of each example agent (warm, in process), and the cold start of
// `agent validate agents/` (a fresh process each time). Prints `name: median X, p99 Y (unit)` lines only.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
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
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { median: at(0.5), p99: at(0.99) };
}

const fmt = (n: number) => n.toFixed(n < 10 ? 3 : 1);

for (const [name, file] of Object.entries(EXAMPLES)) {
  const path = join(root, file);
  for (let i = 0; i < 50; i++) compileSession(await loadAgent(path, { env }));
  const samples: number[] = [];
  for (let i = 0; i < 500; i++) {
    const start = performance.now();
    compileSession(await loadAgent(path, { env }));
    samples.push(performance.now() - start);
  }
  const { median, p99 } = stats(samples);
  process.stdout.write(
    `load+validate+compile warm ${name}: median ${fmt(median)}, p99 ${fmt(p99)} (ms)\n`,
  );
}

// After an edit the file's parse cannot be reused: every load sees new text (handlers and packs stay imported).
{
  const path = join(root, EXAMPLES["hotel-concierge (yaml)"]);
  const text = readFileSync(path, "utf8");
  let edit = 0;
  const readFile = async (file: string) =>
    file === path ? `${text}\n# edit ${edit++}\n` : readFileSync(file, "utf8");
  for (let i = 0; i < 50; i++) compileSession(await loadAgent(path, { env, readFile }));
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = performance.now();
    compileSession(await loadAgent(path, { env, readFile }));
    samples.push(performance.now() - start);
  }
  const { median, p99 } = stats(samples);
  process.stdout.write(
    `load+validate+compile after an edit hotel-concierge (yaml): median ${fmt(median)}, p99 ${fmt(p99)} (ms)\n`,
  );
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
