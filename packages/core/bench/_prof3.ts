import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { STREAM_LINES } from "../src/runtime/event-stream.ts";
import { listenLikeAnApp, recordTurns, replaySession, THREE_TURNS } from "./runtime-support.ts";
const agent = await loadAgent(new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname);
const update = compileSession(agent);
const frames = await recordTurns(update, THREE_TURNS);
const { session, socket } = replaySession(update);
listenLikeAnApp(session);
let n = 0;
if (process.env.MODE === "log") { const { openSessionLog } = await import("../src/session-log/index.ts"); const { mkdtempSync } = await import("node:fs"); session.onEvent(openSessionLog({ dir: mkdtempSync("/tmp/pl-"), agent }).write); }
if (process.env.MODE === "null") session.onEvent(Object.assign(() => {}, { [STREAM_LINES]: (l: string) => { n += l.length; } }));
const { Session } = await import("node:inspector");
const t0 = process.cpuUsage();
for (let r = 0; r < 1500; r++) { for (const f of frames) socket.emit("message", f, false); await new Promise((r) => setImmediate(r)); }
const u = process.cpuUsage(t0); console.error(process.env.MODE, ((u.user+u.system)/1500/frames.length).toFixed(2), "µs/frame");
process.exit(0);
