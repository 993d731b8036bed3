// Session log overhead per received server event, logging on vs off in the same run: frames recorded from a real
// turn with the local server are replayed into one Session, rounds alternating between no stream listener (the
// stream is not built), a session log writer, a stream listener that does nothing (what agent dev's view or an app's
// onEvent already pay) and that listener plus the log, each in blocks of rounds. Target (issue 18): the log adds under
// 10 % per-event CPU. The log is the default one (format 3: each streamed part's first chunk, then a count; no event
// that one protocol event says, which the reader derives); a log writing every chunk (`chunks: "all"`) is measured
// beside it as a reference. Also as references: logs at the pace of calls (bench/paced-log.ts), and served voice calls
// with and without a log (section 6).

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { cpuMs, figure, interval, verdict } from "../../../bench/verdict.ts";
import { systemClock } from "../src/clock/index.ts";
import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { openSessionLog, type SessionLogWriter } from "../src/session-log/index.ts";
import { freshEventIds } from "./fresh-event-ids.ts";
import { LIVE_INTERVAL, liveServer } from "./live-replay.ts";
import { pacedLog } from "./paced-log.ts";
import type { CallersRequest, CallersResult } from "./parley-audio/callers.ts";
import { forkScript, next } from "./parley-audio/children.ts";
import { BLOCK, type Mode, PARTS, partSpread, rotation, SKIP, WARMUP_CYCLES } from "./rotation.ts";
import {
  listenLikeAnApp,
  liveSession,
  recordTurns,
  replaySession,
  THREE_TURNS,
} from "./runtime-support.ts";

const agent = await loadAgent(
  new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname,
);
const update = compileSession(agent);

// 1. The raw frames of three turns from the real server (in its own process), with new event ids each round, as a
// call's are (bench/fresh-event-ids.ts; the live sender does the same to its copy).
const frames = await recordTurns(update, THREE_TURNS);
const nextIds = freshEventIds(frames);

// 2. One session over an in-memory socket, an app's listeners attached (audio, transcript, usage).
// The system clock, as a served session has: each line's `at` is a real reading, which costs more to print than the
// virtual clock's constant 0 (300–700 ns a line), and the session's timers run as they would.
const { session, socket } = replaySession(update, { clock: systemClock });
const sink = listenLikeAnApp(session);

const dir = mkdtempSync(join(tmpdir(), "parley-log-bench-"));
const log = openSessionLog({ dir, agent });
// Every chunk a line (as before issue 18, but for the derived events format 3 leaves out). A reference, in the same
// rotation.
const logAll = openSessionLog({ dir, agent, chunks: "all" });
const noop = () => {};
type ModeName = "off" | "log" | "stream" | "stream+log" | "log (chunks: all)";
const modes: ModeName[] = ["off", "log", "stream", "stream+log", "log (chunks: all)"];
/** The modes, each attaching its listeners (the logs given) and returning their removal. */
function modesWith(one: SessionLogWriter, every: SessionLogWriter): Record<ModeName, Mode> {
  const both =
    (...modes: Mode[]): Mode =>
    (s) => {
      const offs = modes.map((m) => m(s));
      return () => {
        for (const off of offs) off();
      };
    };
  const stream: Mode = (s) => s.onEvent(noop);
  const logged: Mode = (s) => s.onEvent(one.write);
  return {
    off: () => () => {},
    log: logged,
    stream,
    "stream+log": both(stream, logged),
    "log (chunks: all)": (s) => s.onEvent(every.write),
  };
}
// One round: every frame emitted into the session, then one turn of the event loop, in CPU time (not wall time: on a
// shared machine wall time counts the time other processes held the core). The turn after the frames is counted
// too: the log's writes proceed there (as between frames live), and the process's CPU includes the thread pool's.
async function memoryRound(): Promise<number> {
  nextIds();
  const t0 = cpuMs();
  for (const frame of frames) socket.emit("message", frame, false);
  await new Promise((r) => setImmediate(r));
  return cpuMs() - t0;
}
const rounds = Number(process.env.PARLEY_BENCH_ROUNDS ?? 400);
const memoryModes = modesWith(log, logAll);
const inMemory = await rotation(
  session,
  memoryRound,
  modes.map((k) => memoryModes[k]),
  rounds,
  frames.length,
);
const m = Object.fromEntries(modes.map((k, i) => [k, inMemory.perFrame[i] as number])) as Record<
  ModeName,
  number
>;
interval(
  `one round = the ${frames.length} recorded frames emitted into the session, then one turn of the event loop; process user + system CPU per frame; one session whose modes take turns in blocks of ${BLOCK} rounds (the first ${SKIP} of each not counted) after ${WARMUP_CYCLES} uncounted blocks of each, ${rounds} counted rounds each; each figure a mode's CPU over all its counted rounds`,
);
for (const k of modes) figure(`session log bench, per-event CPU (${k})`, m[k], "µs");
figure(
  "session log overhead per event, runtime only (in-memory socket, no transport), log vs off",
  ((m.log - m.off) / m.off) * 100,
  "%",
);
figure(
  "session log overhead per event, with a stream listener already (agent dev, an app's onEvent)",
  ((m["stream+log"] - m.stream) / m.stream) * 100,
  "%",
);
figure(
  'session log overhead per event, log vs off, chunks: "all" (every chunk a line)',
  ((m["log (chunks: all)"] - m.off) / m.off) * 100,
  "%",
);
await logAll.close();

// 3. Memory: the heap after many logged rounds, against before them (the buffer is written out, not kept).
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heap0 = process.memoryUsage().heapUsed;
const unsubscribe = session.onEvent(log.write);
for (let round = 0; round < 100; round++) {
  nextIds();
  for (const frame of frames) socket.emit("message", frame, false);
  await new Promise((r) => setImmediate(r));
}
unsubscribe();
await log.close();
gc?.();
figure(
  "session log heap growth over 100 logged turns of frames",
  (process.memoryUsage().heapUsed - heap0) / 1024,
  "KiB",
);

// 4. Live (the target): the same frames from a ws server in a child process over a loopback socket into a Session on
// the real ws transport (a log of its own, the same lines); what a process serving a session pays per event. As the
// telemetry bench does (bench/rotation.ts): the verdict's pair (off, log) alone, taking turns block by block after a
// warm-up, each mode's figure its CPU over all its counted rounds; then every mode for the reference figures. (Until
// 2026-12-03 the five modes took turns and each figure was the median of its rounds: the same code read 7 to 51 %.)
const sender = await liveServer(frames);
const live = await sender.connect();
const served = liveSession(live.socket, update, { clock: systemClock });
const liveSink = listenLikeAnApp(served);
const liveLog = openSessionLog({ dir, agent });
const liveLogAll = openSessionLog({ dir, agent, chunks: "all" });
const liveModes = modesWith(liveLog, liveLogAll);
const liveRounds = Number(process.env.PARLEY_BENCH_LIVE_ROUNDS ?? 2000);
const pair = await rotation(
  served,
  () => live.round(),
  [liveModes.off, liveModes.log],
  liveRounds,
  frames.length,
  PARTS,
);
const [liveOff, liveOn] = pair.perFrame as [number, number];
const referenceRounds = Math.ceil(liveRounds / 5);
const all = await rotation(
  served,
  () => live.round(),
  modes.map((k) => liveModes[k]),
  referenceRounds,
  frames.length,
);
await sender.stop();
await liveLog.close();
await liveLogAll.close();
const lm = Object.fromEntries(modes.map((k, i) => [k, all.perFrame[i] as number])) as Record<
  ModeName,
  number
>;
interval(
  `${LIVE_INTERVAL}; one session whose modes take turns in blocks of ${BLOCK} rounds (the first ${SKIP} of each not counted; attaching and removing a mode is outside the timed rounds) after ${WARMUP_CYCLES} uncounted blocks of each; the verdict's pair (off, log) alone: ${frames.length} frames × ${liveRounds} counted rounds each, its ratio also given for each tenth of the run; then all five modes, ${referenceRounds} counted rounds each; each figure a mode's CPU over all its counted rounds; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
figure("session log live per-event CPU, off", liveOff, "µs");
figure("session log live per-event CPU, log", liveOn, "µs");
partSpread("session log extra per-event CPU, live", pair);
for (const k of modes) figure(`session log live per-event CPU, all five modes: ${k}`, lm[k], "µs");
figure(
  "session log extra per-event CPU, live session over a loopback socket, with a stream listener already",
  ((lm["stream+log"] - lm.stream) / lm.stream) * 100,
  "%",
);
figure(
  'session log extra per-event CPU, live session over a loopback socket, log vs off, chunks: "all" (every chunk a line)',
  ((lm["log (chunks: all)"] - lm.off) / lm.off) * 100,
  "%",
);
verdict(
  "session log extra per-event CPU, live session over a loopback socket, log vs off",
  ((liveOn - liveOff) / liveOff) * 100,
  "%",
  { max: 10 },
);
// 5. At the pace of a call (a reference): lines come a few at a time, so the log's timer writes them, each write a
// hand-off to the thread pool after a quiet spell. Measured in a process of its own (bench/paced-log.ts): in this one,
// the collections and timers of the parts above land in the quiet seconds.
const paced = await pacedLog(dir);
interval(paced.interval);
for (const [mode, us] of Object.entries(paced.perSecond))
  figure(`session log at the pace of calls, CPU per second of call per session, ${mode}`, us, "µs");

// 6. Served voice calls (a reference): what the log adds to a call as `agent serve` runs it. The parley-audio-sessions
// bench's callers (parley-audio/callers.ts: the hotel concierge with its tools, each call streaming its microphone,
// greeted, asking the time by voice, current_time running, the answer spoken), at real-time pace against the local
// server in a process of its own; levels of CALLS calls taking turns with and without a log per call; the callers'
// process CPU per call, from the first call to the last log closed.
const CALLS = Number(process.env.PARLEY_BENCH_LOG_CALLS ?? 50);
const PAIRS = Number(process.env.PARLEY_BENCH_LOG_CALL_PAIRS ?? 3);
spawnSync(
  process.execPath,
  [new URL("../../../scripts/build.mjs", import.meta.url).pathname, "--quiet"],
  {
    stdio: "inherit",
  },
);
const audioServer = forkScript("parley-audio/server.ts", []);
const callers = forkScript("parley-audio/callers.ts", [
  await next<string>(audioServer, "url", 60_000),
]);
await next(callers, "ready", 120_000);
const callCpu = { off: 0, log: 0 };
const callLogs = join(dir, "calls");
mkdirSync(callLogs);
let written = 0;
// One pair first, not counted (the log's code compiled in that process, its first files).
for (let pair = -1; pair < PAIRS; pair++)
  for (const mode of pair % 2 ? (["off", "log"] as const) : (["log", "off"] as const)) {
    const request: CallersRequest = {
      level: CALLS,
      rampMs: 3000,
      logs: mode === "log" ? callLogs : "",
    };
    callers.send(request);
    const result = await next<CallersResult>(callers, "result", 180_000);
    audioServer.send({ drain: true });
    await next(audioServer, "drained", 60_000);
    if (result.completed !== CALLS)
      throw new Error(
        `served calls: ${result.completed} of ${CALLS} completed (${result.errors.join("; ")})`,
      );
    if (pair >= 0) callCpu[mode] += result.cpuMs / CALLS / PAIRS;
  }
for (const file of readdirSync(callLogs)) if (file.endsWith(".jsonl")) written++;
callers.disconnect();
audioServer.disconnect();
interval(
  `served voice calls: ${CALLS} hotel-concierge calls at once (startSession, its tools) in a process of their own, arriving over 3 s, each streaming its microphone (100 ms every 100 ms), greeted, asking "What time is it?" by voice, current_time running, the answer spoken; the local server (pace 1) in another process; levels with and without a session log per call taking turns, ${PAIRS} of each counted after one of each not; that process's CPU (user + system) per call from the first call to the last call and log closed; ${written} logs written`,
);
figure("session log on served voice calls, CPU per call, no log", callCpu.off, "ms");
figure("session log on served voice calls, CPU per call, a log per call", callCpu.log, "ms");
figure(
  "session log extra CPU on served voice calls (hotel concierge, its tools, microphone streamed)",
  ((callCpu.log - callCpu.off) / callCpu.off) * 100,
  "%",
);
rmSync(dir, { recursive: true, force: true });
if (sink() < 0 || liveSink() < 0) process.stdout.write("");
process.exit(0);
