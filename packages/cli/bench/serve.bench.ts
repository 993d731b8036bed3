// `pnpm bench serve`: agent serve as a real child process (the `agent` binary) against the local Realtime server
// and simulated callers in this process.
// - webhook received → accept answered (serve's own figure per call), median and p99;
// - concurrent calls one serve process holds, each with a tool running, while every call keeps its filler timing
//   (filler said within 250 ms of its `after`), target ≥ 500;
// - memory per held call (serve's RSS growth / calls).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { newWebhookSecret, type SimulatedCall, startLocalRealtime } from "@parley/local-realtime";
import { percentile } from "../../../bench/stats.ts";
import { BIN, testEnv } from "../test/helpers/cli.ts";

const quick = process.env.PARLEY_BENCH_QUICK === "1";
const CALLS = Number(process.env.PARLEY_BENCH_SERVE_CALLS ?? (quick ? 50 : 500));
const LATENCY_CALLS = quick ? 20 : 100;
const FILLER_AFTER_MS = 1000;
const FILLER_SLACK_MS = 250;
const agentFile = join(import.meta.dirname, "fixtures/bench-desk.agent.yaml");

const line = (name: string, value: string, target: string, pass: boolean) =>
  process.stdout.write(`${name}: ${value} (target ${target}) ${pass ? "PASS" : "FAIL"}\n`);

const local = await startLocalRealtime({ pace: 0 });
const secret = newWebhookSecret();
const child = spawn(
  process.execPath,
  // The source condition up front: the `agent` binary then runs in this child itself (its RSS is serve's).
  [
    "--conditions=parley-source",
    BIN,
    "serve",
    agentFile,
    "--port",
    "0",
    "--max-calls",
    String(CALLS + 10),
    "--no-watch",
  ],
  {
    env: testEnv({
      OPENAI_API_KEY: "sk-bench",
      OPENAI_WEBHOOK_SECRET: secret,
      OPENAI_BASE_URL: local.baseURL,
    }),
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const acceptMs: number[] = [];
const fillerDelays: number[] = [];
let summaries = 0;
let port = 0;
const serving = new Promise<void>((resolve) => {
  createInterface({ input: child.stdout }).on("line", (text) => {
    const entry = JSON.parse(text) as { msg: string; port?: number; acceptMs?: number };
    if (entry.msg === "serving") {
      port = entry.port ?? 0;
      resolve();
    } else if (entry.msg === "call accepted" && entry.acceptMs !== undefined)
      acceptMs.push(entry.acceptMs);
    else if (entry.msg === "call summary") {
      summaries++;
      fillerDelays.push(...((entry as { fillerDelaysMs?: number[] }).fillerDelaysMs ?? []));
    }
  });
});
const rssKb = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0);

try {
  await serving;
  const webhookUrl = `http://127.0.0.1:${port}/openai/webhook`;
  const ring = () => local.simulateIncomingCall({ webhookUrl, secret, answerTimeoutMs: 60_000 });

  // 1. Webhook → accept, one call at a time (a warm-up call first: the first call loads the session code).
  const warm = await ring();
  await warm.waitForAgent("Front desk", 60_000);
  warm.hangUp();
  acceptMs.length = 0;
  for (let i = 0; i < LATENCY_CALLS; i++) {
    const call = await ring();
    await call.answered;
    call.hangUp();
  }
  await new Promise((r) => setTimeout(r, 500));
  const median = percentile(acceptMs, 50);
  const p99 = percentile(acceptMs, 99);
  line(
    "serve webhook received → accept answered, median",
    `${median.toFixed(1)} ms (n=${acceptMs.length})`,
    "≤ 50 ms",
    median <= 50,
  );
  line(
    "serve webhook received → accept answered, p99",
    `${p99.toFixed(1)} ms`,
    "≤ 250 ms",
    p99 <= 250,
  );

  // 2. Concurrent calls, each with a tool running; the filler must keep its timing under load.
  const baseline = rssKb();
  const held: SimulatedCall[] = [];
  const lateness: number[] = [];
  let missed = 0;
  const start = async () => {
    const call = await ring();
    if ((await call.answered).type !== "accepted") {
      missed++;
      return;
    }
    held.push(call);
    await call.waitForAgent("Front desk", 120_000);
    let calledAt = 0;
    local.calls.get(call.callId)?.events.on("event", (_c, event) => {
      if (event.type === "response.function_call_arguments.done") calledAt = performance.now();
    });
    await call.say("is room 12 free tonight");
    await call.waitForAgent("One moment", 120_000);
    lateness.push(performance.now() - calledAt - FILLER_AFTER_MS);
  };
  const t0 = performance.now();
  const batch = 25;
  for (let i = 0; i < CALLS; i += batch)
    await Promise.all(
      Array.from({ length: Math.min(batch, CALLS - i) }, () => start().catch(() => void missed++)),
    );
  const rampS = (performance.now() - t0) / 1000;
  const heldNow = held.filter((c) => c.state === "accepted").length;
  const peak = rssKb();
  line(
    "serve concurrent calls held, each with a tool running",
    `${heldNow} of ${CALLS} (ramp ${rampS.toFixed(0)} s, ${missed} failed)`,
    "≥ 500",
    heldNow >= 500,
  );
  const perCall = heldNow ? (peak - baseline) / heldNow : Number.NaN;
  line(
    "serve memory per held call (RSS growth)",
    `${perCall.toFixed(0)} KB`,
    "≤ 1024 KB",
    perCall <= 1024,
  );
  // Hang up: each call's summary carries its fillers' delays as serve's scheduler saw them.
  const before = summaries;
  for (const call of held) call.hangUp();
  for (let i = 0; i < 600 && summaries - before < held.length; i++)
    await new Promise((r) => setTimeout(r, 100));
  const late = fillerDelays.slice(-held.length).map((d) => d - FILLER_AFTER_MS);
  const kept = late.filter((l) => l <= FILLER_SLACK_MS).length;
  line(
    "serve filler lateness under that load (tool call → filler, minus its 1 s), p99",
    `${percentile(late, 99).toFixed(0)} ms (median ${percentile(late, 50).toFixed(0)} ms; ${kept} of ${late.length} within ${FILLER_SLACK_MS} ms; heard by the caller: median ${percentile(lateness, 50).toFixed(0)} ms late)`,
    `≤ ${FILLER_SLACK_MS} ms for every call`,
    kept === CALLS,
  );
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await local.close();
}
