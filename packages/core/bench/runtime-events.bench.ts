// Runtime overhead per received server event: JSON parse + dispatch (conversation record, queue, audio clock,
// latency marks, typed events to listeners), on frames recorded from a real turn with the local server.
// Target: p99 under 100 µs.

import { quantile, report } from "../../../bench/stats.ts";
import { verdict } from "../../../bench/verdict.ts";
import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { listenLikeAnApp, recordTurns, replaySession, THREE_TURNS } from "./runtime-support.ts";

const agent = await loadAgent(
  new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname,
);
const update = compileSession(agent);

// 1. Record the raw frames of a few turns from the real server (in its own process).
const frames = await recordTurns(update, THREE_TURNS);

// 2. Replay them into a Session over an in-memory socket, timing each frame's handling.
const { session, socket } = replaySession(update);
const sink = listenLikeAnApp(session);

const all: number[] = [];
const audio: number[] = [];
const isAudio = frames.map((f) => f.includes('"response.output_audio.delta"'));
const rounds = Number(process.env.PARLEY_BENCH_ROUNDS ?? 300);
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < frames.length; i++) {
    const t0 = process.hrtime.bigint();
    socket.emit("message", frames[i], false);
    const us = Number(process.hrtime.bigint() - t0) / 1000;
    if (round < 20) continue; // warm-up
    all.push(us);
    if (isAudio[i]) audio.push(us);
  }
}
report("runtime event parse+dispatch, all events", all, "µs");
verdict("runtime event parse+dispatch p99, all events", quantile(all, 0.99), "µs", { max: 100 });
report("runtime event parse+dispatch, audio delta (decoded for a listener)", audio, "µs");
if (sink() < 0) process.stdout.write("");
process.exit(0);
