// Session log overhead per received server event, logging on vs off in the same run: frames recorded from a real
// turn with the local server are replayed into one Session, rounds alternating between no stream listener (the
// stream is not built), a session log writer, a stream listener that does nothing (what agent dev's view or serve's
// call log already pay) and that listener plus the log. Target (issue 18): the log adds under 10 % per-event CPU.

import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { median } from "../../../bench/stats.ts";
import { figure, verdict } from "../../../bench/verdict.ts";
import { VirtualClock } from "../src/clock/index.ts";
import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { createLogger } from "../src/log/index.ts";
import { defaultPrices } from "../src/pricing/index.ts";
import { Session } from "../src/runtime/session.ts";
import { openSessionLog } from "../src/session-log/index.ts";
import { wsTransport } from "../src/transport/ws-transport.ts";
import { serverProcess } from "./runtime-support.ts";

const agent = await loadAgent(
  new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname,
);
const update = compileSession(agent);

// 1. The raw frames of three turns from the real server (in its own process).
const server = await serverProcess();
const frames: Buffer[] = [];
{
  const ws = new WebSocket(`${server.url}?model=gpt-realtime`, {
    headers: { Authorization: "Bearer bench" },
  });
  const turns = ["Hello there", "What time is breakfast served?", "Thank you, goodbye"];
  const say = (text: string) => {
    const item = { type: "message", role: "user", content: [{ type: "input_text", text }] };
    ws.send(JSON.stringify({ type: "conversation.item.create", item }));
    ws.send(JSON.stringify({ type: "response.create" }));
  };
  const finished = new Promise<void>((resolve) => {
    let done = 0;
    ws.on("message", (data: Buffer) => {
      frames.push(Buffer.from(data));
      const type = (JSON.parse(String(data)) as { type: string }).type;
      if (type === "session.updated" && done === 0) say(turns[0] as string);
      if (type !== "response.done") return;
      const next = turns[++done];
      if (next) say(next);
      else resolve();
    });
  });
  await new Promise((r) => ws.once("open", r));
  ws.send(JSON.stringify(update));
  await finished;
  ws.close();
}
await server.stop();

// 2. One session over an in-memory socket, an app's listeners attached (audio, transcript, usage).
class MemorySocket extends EventEmitter {
  readyState = WebSocket.OPEN;
  send(): void {}
  close(): void {}
  terminate(): void {}
}
const socket = new MemorySocket();
const session = new Session({
  transport: wsTransport({ socket: socket as unknown as WebSocket }),
  update,
  clock: new VirtualClock(),
  prices: defaultPrices,
  tools: undefined,
  playedMs: undefined,
  greeting: undefined,
  goodbye: "Goodbye!",
  budgetUsd: undefined,
  maxSessionLengthMs: undefined,
  timeoutMs: 15_000,
  log: createLogger("parley:bench"),
});
let sink = 0;
session.on("agent.audio", (e) => {
  sink += e.audio.length;
});
session.on("agent.transcript.delta", (e) => {
  sink += e.delta.length;
});

const dir = mkdtempSync(join(tmpdir(), "parley-log-bench-"));
const log = openSessionLog({ dir, agent });
const noop = () => {};
type Mode = "off" | "log" | "stream" | "stream+log";
const modes: Mode[] = ["off", "log", "stream", "stream+log"];
const perEvent: Record<Mode, number[]> = { off: [], log: [], stream: [], "stream+log": [] };
const rounds = Number(process.env.PARLEY_BENCH_ROUNDS ?? 400);
for (let round = 0; round < rounds; round++) {
  const mode = modes[round % modes.length] as Mode;
  const off = [
    ...(mode.startsWith("stream") ? [session.onEvent(noop)] : []),
    ...(mode.endsWith("log") ? [session.onEvent(log.write)] : []),
  ];
  const t0 = process.hrtime.bigint();
  for (const frame of frames) socket.emit("message", frame, false);
  const us = Number(process.hrtime.bigint() - t0) / 1000;
  for (const unsubscribe of off) unsubscribe();
  if (round >= 40) perEvent[mode].push(us / frames.length); // warm-up first
  await new Promise((r) => setImmediate(r)); // the log's writes proceed between rounds, as between frames live
}
const m = Object.fromEntries(modes.map((k) => [k, median(perEvent[k])])) as Record<Mode, number>;
for (const k of modes) figure(`session log bench, per-event CPU (${k})`, m[k], "µs");
verdict("session log overhead per event, log vs off", ((m.log - m.off) / m.off) * 100, "%", {
  max: 10,
});
figure(
  "session log overhead per event, with a stream listener already (dev, serve)",
  ((m["stream+log"] - m.stream) / m.stream) * 100,
  "%",
);

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
rmSync(dir, { recursive: true, force: true });
if (sink < 0) process.stdout.write("");
process.exit(0);
