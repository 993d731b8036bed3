// Session logs at the pace of calls, in a process of its own: SESSIONS logs, each taking a line every 50 ms (a few lines
// a second is what a call's log writes once later chunks are only counted), so that each write is a log's timer's,
// after a quiet spell; many at once, as `agent serve` holds them (one log's writes are lost in the process's own noise).
// Modes take turns a second at a time: no log (the pacing's own timers and events), the default logs, and logs
// flushing every 200 ms (the default before issue 18's last round). Imported, it runs itself as a child and returns the
// figures.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cpuMs } from "../../../bench/verdict.ts";
import { loadAgent } from "../src/load/index.ts";
import { openSessionLog } from "../src/session-log/index.ts";

const MODES = ["none", "default (flushMs 1000)", "flushMs 200"] as const;
type Mode = (typeof MODES)[number];

export interface PacedFigures {
  interval: string;
  /** CPU per second of call per session above the same pacing with no log, µs. */
  perSecond: Record<Exclude<Mode, "none">, number>;
}

/** Runs the paced measurement in a child process (logs in `dir`). */
export async function pacedLog(dir: string): Promise<PacedFigures> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  const code = await new Promise((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`paced-log.ts exited with ${code}`);
  return JSON.parse(out) as PacedFigures;
}

async function run(dir: string): Promise<PacedFigures> {
  const seconds = Number(process.env.PARLEY_BENCH_PACED_S ?? 5);
  const agent = await loadAgent(
    new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname,
  );
  const sessions = Number(process.env.PARLEY_BENCH_PACED_SESSIONS ?? 100);
  const many = (options: { flushMs?: number }) =>
    Array.from({ length: sessions }, () => openSessionLog({ dir, agent, ...options }));
  const logs = { "default (flushMs 1000)": many({}), "flushMs 200": many({ flushMs: 200 }) };
  const line = { type: "idle", sessionId: "sess_paced" };
  const cpu: Record<Mode, number> = { none: 0, "default (flushMs 1000)": 0, "flushMs 200": 0 };
  // One turn of each mode first, not counted.
  for (let second = -MODES.length; second < seconds * MODES.length; second++) {
    const mode = MODES[(second + MODES.length) % MODES.length] as Mode;
    const t0 = cpuMs();
    for (let i = 0; i < 20; i++) {
      // The same events in every mode (made, not written, with no log).
      const events = Array.from({ length: sessions }, (_, k) => ({ ...line, at: i, seq: k }));
      if (mode !== "none")
        for (let k = 0; k < sessions; k++) logs[mode][k]?.write(events[k] as never);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (second >= 0) cpu[mode] += cpuMs() - t0;
  }
  await Promise.all(Object.values(logs).flatMap((l) => l.map((log) => log.close())));
  const perSecond = (mode: Exclude<Mode, "none">) =>
    ((cpu[mode] - cpu.none) / seconds / sessions) * 1000;
  return {
    interval: `paced (a process of its own): ${sessions} logs, each a line every 50 ms, modes taking turns a second at a time, ${seconds} s each; process CPU (user + system, all threads) per second of call per session, minus the same pacing with no log`,
    perSecond: {
      "default (flushMs 1000)": perSecond("default (flushMs 1000)"),
      "flushMs 200": perSecond("flushMs 200"),
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(await run(process.argv[2] as string)));
  process.exit(0);
}
