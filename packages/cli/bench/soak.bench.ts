// Soak: many sessions opened and closed in one process (a tool call, every tenth a handoff and an MCP call through a
// bridge), then restores after drops, then one hour of conversation on a virtual clock. Prints the heap curve
// (after GC) and the counts of active handles and timers, and checks: heap flat within 5 % from the first sample
// after warm-up to the last; no growth in handles/timers; restore time after a drop (median, p99); the one-hour
// session's heap bounded. `PARLEY_SOAK_SESSIONS` sets the count: 2000 by default (about 3 minutes on a busy machine);
// the full soak is `PARLEY_SOAK_SESSIONS=10000 pnpm bench soak` (about 5 minutes of CPU). Run: `pnpm bench soak`.
// The warm-up before the first sample lets V8 finish compiling the hot paths: in a heap snapshot diff between 300 and
// 1300 sessions, all the growth was compiled code (code, deopt data, relocation info: ~1.4 MB), no application object.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { loadAgent, type Session, startSession, VirtualClock } from "@parley/core";
import { startLocalRealtime } from "@parley/local-realtime";
import { percentile } from "../../../bench/stats.ts";

const SESSIONS = Number(process.env.PARLEY_SOAK_SESSIONS ?? 2_000);
/** Sessions open at once (a server holds many calls at a time); each sample is taken with none open. */
const CONCURRENCY = Math.max(1, Number(process.env.PARLEY_SOAK_CONCURRENCY ?? 10));
const SAMPLES = 10;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

// The MCP server runs in a child process: its memory is not the runtime's.
const mcp = spawn(
  process.execPath,
  ["--import", "tsx", new URL("./soak/mcp-server.ts", import.meta.url).pathname],
  {
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const [line] = (await once(mcp.stdout, "data")) as [Buffer];
process.env.SOAK_MCP_URL = line.toString().trim();
const server = await startLocalRealtime({ port: 0, pace: 0 });
const desk = await loadAgent(new URL("./soak/desk.agent.yaml", import.meta.url).pathname);

/** Until the turn is over (the session's protocol-decided `idle`). */
function idle(session: Session): Promise<void> {
  if (!session.busy) return Promise.resolve();
  return new Promise((resolve) => session.once("idle", () => resolve()));
}

async function oneSession(i: number): Promise<void> {
  const session = await startSession({ agent: desk, url: server.url, keepalive: false });
  session.sendText(`/call lookup {"reference":"R${i}"}`);
  await idle(session);
  if (i % 10 === 0) {
    session.sendText('/call calc_add {"a":2,"b":3}');
    await idle(session);
    session.sendText('/call transfer_to_billing {"reason":"a bill"}');
    await idle(session);
  }
  await session.close();
}

function measure(): { heapMb: number; handles: number; timers: number } {
  gc();
  gc();
  const resources = process.getActiveResourcesInfo();
  return {
    heapMb: process.memoryUsage().heapUsed / 1024 / 1024,
    handles: resources.filter((r) => r !== "Timeout" && r !== "Immediate").length,
    timers: resources.filter((r) => r === "Timeout").length,
  };
}

const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
let failed = false;

// ── 1. open/close many sessions ─────────────────────────────────────────────
/** Sessions `from` … `to - 1`, at most CONCURRENCY open at once; resolves when all are closed. */
async function sessions(from: number, to: number): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) await oneSession(next++);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, to - from) }, worker));
}

const warmup = Math.min(1000, Math.ceil(SESSIONS / 4));
await sessions(0, warmup);
const curve = [measure()];
const step = Math.ceil(SESSIONS / SAMPLES);
const t0 = performance.now();
for (let i = 0; i < SESSIONS; i += step) {
  await sessions(i, Math.min(SESSIONS, i + step));
  curve.push(measure());
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage();
console.log(
  `sessions: ${SESSIONS} in ${seconds.toFixed(1)} s (${(SESSIONS / seconds).toFixed(0)}/s, ${CONCURRENCY} at a time; process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`,
);
console.log("heap after GC (MB), handles, timers, every", step, "sessions:");
for (const [k, m] of curve.entries())
  console.log(
    `  ${String(k * step).padStart(6)}  ${m.heapMb.toFixed(2).padStart(8)}  ${m.handles}  ${m.timers}`,
  );
const first = curve[0] as ReturnType<typeof measure>;
const last = curve.at(-1) as ReturnType<typeof measure>;
const growth = (last.heapMb - first.heapMb) / first.heapMb;
const heapOk = growth <= 0.05;
const handlesOk = last.handles <= first.handles && last.timers <= first.timers;
failed ||= !heapOk || !handlesOk;
console.log(`soak heap growth: ${(growth * 100).toFixed(2)} % (target ≤ 5 %) ${verdict(heapOk)}`);
// What each session leaves behind once the process is warm: the second half of the curve, per session.
const mid = curve[Math.floor(curve.length / 2)] as ReturnType<typeof measure>;
const perSessionKb = ((last.heapMb - mid.heapMb) * 1024) / (SESSIONS / 2);
console.log(`soak heap retained per session (second half): ${perSessionKb.toFixed(3)} KB`);
console.log(
  `soak handles ${first.handles} → ${last.handles}, timers ${first.timers} → ${last.timers} (target: no growth) ${verdict(handlesOk)}`,
);

// ── 2. restore time after a drop ────────────────────────────────────────────
const restoreMs: number[] = [];
for (let i = 0; i < 50; i++) {
  const session = await startSession({ agent: desk, url: server.url, keepalive: false });
  const restored = new Promise<number>((resolve) => session.once("restored", (e) => resolve(e.ms)));
  server.setFaults({ closeOnToolCall: "drop" }); // the connection dies while the tool runs
  session.sendText(`/call lookup {"reference":"D${i}"}`);
  session.once("reconnecting", () => server.setFaults({}));
  restoreMs.push(await restored);
  await idle(session);
  await session.close();
}
const pct = (p: number) => percentile(restoreMs, p);
console.log(
  `restore after a drop: median ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms (local server, 50 drops)`,
);

// ── 3. one hour on a virtual clock, hundreds of turns ───────────────────────
const clock = new VirtualClock();
const hour = await startSession({ agent: desk, url: server.url, clock, keepalive: false });
const turns = 360;
let recycles = 0;
hour.on("restored", (e) => e.reason === "recycle" && recycles++);
const heapAt: number[] = [];
for (let t = 0; t < turns; t++) {
  hour.sendText(t % 4 === 0 ? `/call lookup {"reference":"H${t}"}` : `turn ${t}: tell me more`);
  // The session's timers (the answer coalescing, the recycle) run on the virtual clock: move it while the turn runs.
  const start = clock.now();
  while (hour.busy || hour.restoring) {
    await clock.advance(25);
    await new Promise((r) => setImmediate(r));
  }
  await clock.advance(Math.max(0, 10_000 - (clock.now() - start))); // 360 turns × 10 s = one hour
  if (t === 59 || t === turns - 1) heapAt.push(measure().heapMb);
}
const perTurnKb = (((heapAt[1] as number) - (heapAt[0] as number)) * 1024) / (turns - 60);
const hourOk = perTurnKb < 16 && hour.open;
failed ||= !hourOk;
console.log(
  `one hour, ${turns} turns (virtual clock): heap ${heapAt.map((h) => h.toFixed(2)).join(" → ")} MB, ${perTurnKb.toFixed(2)} KB per turn incl. the transcript (target < 16), recycled ${recycles}× ${verdict(hourOk)}`,
);
await hour.close();

await desk.close?.();
await server.close();
mcp.stdin.end();
process.exit(failed ? 1 : 0);
