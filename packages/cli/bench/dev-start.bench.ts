// The author's loop, timed as a person lives it, through the real `agent` binary:
// - `agent dev` start → ready prompt (in a pseudo-terminal, local server), target < 1 s;
// - file save → "reloaded" on screen (watcher + re-load + session.update → session.updated + render), target p95 < 150 ms;
// - `agent test` over every example agent's scenarios.
// Prints `name: median X, p95 Y, p99 Z (unit)` lines and nothing else on stdout.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { report } from "../../../bench/stats.ts";
import { BIN, PtySession, testEnv } from "../test/helpers/cli.ts";

const root = join(import.meta.dirname, "../../..");
const fixture = join(import.meta.dirname, "../test/fixtures/dev");
const quick = process.env.PARLEY_BENCH_QUICK === "1";

function stats(name: string, samples: number[], unit: string): void {
  report(name, samples, unit, { digits: 1, percentiles: [50, 95, 99], count: true });
}

const dir = mkdtempSync(join(tmpdir(), "parley-bench-dev-"));
cpSync(fixture, dir, { recursive: true });
const agentFile = join(dir, "desk.agent.yaml");
const env = testEnv({ PARLEY_SIM_PACE: "1" });

try {
  // Warm tsx's transform cache once, as any second run of the CLI on a machine is.
  spawnSync(process.execPath, [BIN, "--help"], { env, stdio: "ignore" });

  const starts: number[] = [];
  for (let i = 0; i < (quick ? 3 : 9); i++) {
    const t0 = performance.now();
    const pty = new PtySession(["dev", agentFile], { cwd: dir, env });
    await pty.waitFor("Ctrl-D or /quit", { timeoutMs: 20_000 });
    starts.push(performance.now() - t0);
    pty.type("\u0004");
    await pty.exited(20_000).catch(() => pty.kill());
  }
  stats("agent dev start → ready prompt", starts, "ms");

  const reloads: number[] = [];
  const original = readFileSync(agentFile, "utf8");
  const pty = new PtySession(["dev", agentFile], { cwd: dir, env });
  let at = await pty.waitFor("Ctrl-D or /quit", { timeoutMs: 20_000 });
  for (let i = 0; i < (quick ? 10 : 40); i++) {
    const t0 = performance.now();
    writeFileSync(agentFile, original.replace("never guess.", `never guess (${i}).`));
    at = await pty.waitFor(/reloaded in \d+ ms/, { from: at, timeoutMs: 10_000 });
    reloads.push(performance.now() - t0);
    // Let the watcher settle, as between two saves by a person.
    await new Promise((r) => setTimeout(r, 60));
  }
  pty.type("\u0004");
  await pty.exited(20_000).catch(() => pty.kill());
  stats("agent dev file save → reloaded (session.updated)", reloads, "ms");

  const runs: number[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const t0 = performance.now();
    const run = spawnSync(process.execPath, [BIN, "test", "agents"], {
      cwd: root,
      env: testEnv(),
      encoding: "utf8",
    });
    runs.push(performance.now() - t0);
    if (run.status !== 0)
      process.stderr.write(`agent test agents failed:\n${run.stdout}\n${run.stderr}\n`);
  }
  stats("agent test agents (all example scenarios, wall)", runs, "ms");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
