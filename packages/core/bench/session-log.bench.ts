// Session log overhead per received server event, logging on vs off in the same run: frames recorded from a real
// turn with the local server are replayed into one Session, rounds alternating between no stream listener (the
// stream is not built), a session log writer, a stream listener that does nothing (what agent dev's view or an app's
// onEvent already pay) and that listener plus the log, each in blocks of rounds. Target (issue 18): the log adds under
// 10 % per-event CPU. The log is the default one (format 3: each streamed part's first chunk, then a count; no event
// that one protocol event says, which the reader derives); a log writing every chunk (`chunks: "all"`) is measured
// beside it as a reference.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "../../../bench/stats.ts";
import { cpuMs, figure, interval, verdict } from "../../../bench/verdict.ts";
import { systemClock } from "../src/clock/index.ts";
import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { openSessionLog } from "../src/session-log/index.ts";
import { LIVE_INTERVAL, liveServer } from "./live-replay.ts";
import { pacedLog } from "./paced-log.ts";
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

// 1. The raw frames of three turns from the real server (in its own process).
const frames = await recordTurns(update, THREE_TURNS);

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
type Mode = "off" | "log" | "stream" | "stream+log" | "log (chunks: all)";
const modes: Mode[] = ["off", "log", "stream", "stream+log", "log (chunks: all)"];
const perEvent = Object.fromEntries(modes.map((k) => [k, [] as number[]])) as Record<
  Mode,
  number[]
>;
// Modes take turns in blocks of BLOCK rounds, the first 2 of each block left out: a round's file write finishes on the
// thread pool and its garbage is collected during the rounds after it, so with modes alternating round by round the
// log's writes and collections were counted in the next round (a "stream" round) and the log looked cheaper than it
// is. In a block they land in the same mode's next round, as in a live session.
const BLOCK = 10;
const rounds = Number(process.env.PARLEY_BENCH_ROUNDS ?? 480);
interval(
  `one round = the ${frames.length} recorded frames emitted into the session, then one turn of the event loop; process user + system CPU per frame; modes in blocks of ${BLOCK} rounds (the first 2 of each left out), median per mode`,
);
for (let round = 0; round < rounds; round++) {
  const mode = modes[Math.floor(round / BLOCK) % modes.length] as Mode;
  const off = [
    ...(mode.startsWith("stream") ? [session.onEvent(noop)] : []),
    ...(mode.endsWith("log") ? [session.onEvent(log.write)] : []),
    ...(mode === "log (chunks: all)" ? [session.onEvent(logAll.write)] : []),
  ];
  // CPU time, not wall time: on a shared machine wall time counts the time other processes held the core. The
  // turn of the event loop after the frames is counted too: the log's writes proceed there (as between frames
  // live), and the process's CPU includes the thread pool's file writes.
  const t0 = cpuMs();
  for (const frame of frames) socket.emit("message", frame, false);
  await new Promise((r) => setImmediate(r));
  const us = (cpuMs() - t0) * 1000;
  for (const unsubscribe of off) unsubscribe();
  // Warm-up first (one block of each mode).
  if (round >= BLOCK * modes.length && round % BLOCK >= 2) perEvent[mode].push(us / frames.length);
}
const m = Object.fromEntries(modes.map((k) => [k, median(perEvent[k])])) as Record<Mode, number>;
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
// the real ws transport, modes in blocks as above (a log of its own, the same lines); what a process serving a
// session pays per event.
const sender = await liveServer(frames);
const live = await sender.connect();
const served = liveSession(live.socket, update, { clock: systemClock });
const liveSink = listenLikeAnApp(served);
const liveLog = openSessionLog({ dir, agent });
const liveLogAll = openSessionLog({ dir, agent, chunks: "all" });
const livePerEvent = Object.fromEntries(modes.map((k) => [k, [] as number[]])) as Record<
  Mode,
  number[]
>;
const liveRounds = Number(process.env.PARLEY_BENCH_LIVE_ROUNDS ?? rounds);
for (let round = 0; round < liveRounds; round++) {
  const mode = modes[Math.floor(round / BLOCK) % modes.length] as Mode;
  const off = [
    ...(mode.startsWith("stream") ? [served.onEvent(noop)] : []),
    ...(mode.endsWith("log") ? [served.onEvent(liveLog.write)] : []),
    ...(mode === "log (chunks: all)" ? [served.onEvent(liveLogAll.write)] : []),
  ];
  const us = (await live.round()) * 1000;
  for (const unsubscribe of off) unsubscribe();
  if (round >= BLOCK * modes.length && round % BLOCK >= 2)
    livePerEvent[mode].push(us / frames.length);
}
await sender.stop();
await liveLog.close();
await liveLogAll.close();
const lm = Object.fromEntries(modes.map((k) => [k, median(livePerEvent[k])])) as Record<
  Mode,
  number
>;
interval(
  `${LIVE_INTERVAL}; ${frames.length} frames × ${liveRounds} rounds, modes in blocks of ${BLOCK} rounds (the first 2 of each left out), median per mode`,
);
for (const k of modes) figure(`session log live per-event CPU (${k})`, lm[k], "µs");
verdict(
  "session log extra per-event CPU, live session over a loopback socket, log vs off",
  ((lm.log - lm.off) / lm.off) * 100,
  "%",
  { max: 10 },
);
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
// 5. At the pace of a call (a reference): lines come a few at a time, so the log's timer writes them, each write a
// hand-off to the thread pool after a quiet spell. Measured in a process of its own (bench/paced-log.ts): in this one,
// the collections and timers of the parts above land in the quiet seconds.
const paced = await pacedLog(dir);
interval(paced.interval);
for (const [mode, us] of Object.entries(paced.perSecond))
  figure(`session log at the pace of calls, CPU per second of call per session, ${mode}`, us, "µs");
rmSync(dir, { recursive: true, force: true });
if (sink() < 0 || liveSink() < 0) process.stdout.write("");
process.exit(0);
