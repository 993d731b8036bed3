// `pnpm bench parley-audio-sessions`: how many concurrent Parley calls keep real-time pace, measured where an app
// hears them. Three processes: this one only orchestrates; the local server (pace 1) runs in one
// (parley-audio/server.ts); N Parley sessions of the hotel concierge, with its tools, run in another
// (parley-audio/callers.ts: each caller streams its microphone, is greeted, asks the time by voice, the model calls
// current_time, the answer is spoken). Every agent audio chunk is timed at the Parley client against a real-time
// schedule that starts when the caller asked (start-up delay included).
// A level keeps up when every call starts and ends, the chunks' p99 lateness is under 100 ms (one chunk: a player
// with a 100 ms jitter buffer would not underrun, and the start-up delay is in every chunk's lateness) and both
// processes' event-loop delay p99 is under 100 ms. Levels step up until one does not keep up.
// The server-only figure (packages/local-realtime/bench/audio-sessions.bench.ts: plain clients, the server's own
// rule) runs in the same bench run at the same levels and is printed beside.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { percentile, report } from "../../../bench/stats.ts";
import { figure, interval, verdict } from "../../../bench/verdict.ts";
import type { CallersRequest, CallersResult } from "./parley-audio/callers.ts";
import { children, forkScript, next } from "./parley-audio/children.ts";
import type { ServerRequest, ServerWindow } from "./parley-audio/server.ts";

const LEVELS = (process.env.PARLEY_BENCH_AUDIO_LEVELS ?? "50,100,200,300")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
if (LEVELS.length === 0)
  throw new Error(
    `PARLEY_BENCH_AUDIO_LEVELS must list session counts, like "50,100,200" (got "${process.env.PARLEY_BENCH_AUDIO_LEVELS}")`,
  );
// A level's calls arrive at random moments within this window (ms): inside a call's ~7 s, so all N are on the line
// together for a few seconds. (A real line's calls last minutes and arrive far slower than N per 3 s; a shorter
// window would measure connection storms more than concurrent calls.)
const RAMP_MS = Number(process.env.PARLEY_BENCH_AUDIO_RAMP_MS ?? 3000);
const LATE_MS = 100;
const root = join(import.meta.dirname, "../../..");
spawnSync(process.execPath, [join(root, "scripts/build.mjs"), "--quiet"], { stdio: "inherit" });
const server = forkScript("parley-audio/server.ts", []);
const tell = (request: ServerRequest) => server.send(request);
const url = await next<string>(server, "url", 60_000);

interval(
  `each level: N hotel-concierge calls (startSession, its tools) in one process, arriving at random over ` +
    `${RAMP_MS / 1000} s, the local server (pace 1) in another; a call = greeting, the caller says "What time is it?" ` +
    `(microphone streamed 100 ms every 100 ms throughout, server VAD), current_time runs, the answer is spoken; ` +
    `lateness of every agent.audio chunk against ask + audio heard before it (ask = the startSession() call for ` +
    `the greeting, the send of the microphone chunk that ended the turn for the answer); CPU and event-loop ` +
    `delay from the first call to the last answer's end`,
);
const callers = forkScript("parley-audio/callers.ts", [url]);
// The server measures over each level's window (the callers say when it opens and closes).
callers.on("message", (m: { phase?: string }) => {
  if (m.phase === "measuring") tell({ measure: "start" });
  if (m.phase === "measured") tell({ measure: "stop" });
});
await next(callers, "ready", 120_000);
let carried = 0;
const projected: number[] = [];
const perSession: number[] = [];
for (const sessions of LEVELS) {
  const windowed = next<ServerWindow>(server, "window", RAMP_MS + 120_000);
  const request: CallersRequest = { level: sessions, rampMs: RAMP_MS };
  callers.send(request);
  const result = await next<CallersResult>(callers, "result", RAMP_MS + 120_000);
  const serverWindow = await windowed;
  const p99 = percentile(result.lateness, 99);
  report(`Parley audio chunk lateness at ${sessions} sessions`, result.lateness, "ms");
  report(`  start-up delay, greeting (from startSession())`, result.greetingStartup, "ms");
  report(`    of which connect and handshake (startSession() resolved)`, result.handshake, "ms");
  report(`  start-up delay, answer (from the end of the turn)`, result.answerStartup, "ms");
  const busy = result.cpuMs / result.wallMs;
  process.stdout.write(
    `  ${result.ready} started, ${result.completed} calls complete in ` +
      `${(result.wallMs / 1000).toFixed(1)} s; event-loop delay p99 (max) Parley ${result.loopP99Ms.toFixed(1)} ` +
      `(${result.loopMaxMs.toFixed(0)}) ms, server ${serverWindow.loopP99Ms.toFixed(1)} (${serverWindow.loopMaxMs.toFixed(0)}) ms; CPU Parley ${Math.round(busy * 100)} %, server ` +
      `${Math.round(serverWindow.cpuPercent)} % (of one core)\n`,
  );
  for (const e of result.errors) process.stdout.write(`  ${e}\n`);
  if (busy > 0) {
    projected.push(Math.floor(sessions / busy));
    perSession.push((busy * 100) / sessions);
  }
  tell({ drain: true });
  await next(server, "drained", 60_000);
  const keptUp =
    result.completed === sessions &&
    p99 < LATE_MS &&
    result.loopP99Ms < LATE_MS &&
    serverWindow.loopP99Ms < LATE_MS;
  if (!keptUp) break;
  carried = sessions;
}
callers.disconnect();
server.disconnect();
report("Parley process CPU per call (% of one core, over the call)", perSession, "%");
report("calls one core carries by the Parley process's CPU (projection)", projected, "sessions");

// The server-only figure, in the same run at the same levels: the local server's own bench (plain clients).
process.stdout.write(
  `\nserver only (packages/local-realtime/bench/audio-sessions.bench.ts, levels ${LEVELS.join(",")}):\n`,
);
const serverOnly = spawn(
  process.execPath,
  [
    "--conditions=parley-source",
    "--import",
    "tsx",
    join(root, "packages/local-realtime/bench/audio-sessions.bench.ts"),
  ],
  {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PARLEY_BENCH_AUDIO_LEVELS: LEVELS.join(",") },
  },
);
children.add(serverOnly);
let serverOut = "";
serverOnly.stdout?.on("data", (d) => {
  serverOut += d;
  process.stdout.write(String(d).replace(/^(?=.)/gm, "  "));
});
await new Promise((resolve) => serverOnly.once("exit", resolve));
const serverCarried = Number(/sessions kept up: median (\d+)/.exec(serverOut)?.[1] ?? Number.NaN);
process.stdout.write("\n");
figure("concurrent real-time audio sessions kept up, server only", serverCarried, "sessions");
// The floor: 100 calls at once, start-up included, on the shared 2-core machine with the server on the same cores.
// At load 6–9 it kept 100 (2026-12-02), the server using ~1.5× Parley's CPU and falling behind first; by CPU alone
// the Parley process carries ~500 calls per core. At CPU pressure near 100 % (load 11–14) it kept 0–50, and so did
// the server-only bench: read the two counts together (docs/performance.md).
verdict(
  "concurrent real-time Parley audio sessions kept up (hotel concierge)",
  carried,
  "sessions",
  {
    min: 100,
  },
);
process.exit(0);
