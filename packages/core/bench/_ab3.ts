import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { STREAM_LINES } from "../src/runtime/event-stream.ts";
import * as SL from "../src/runtime/stream-lines.ts";
import { listenLikeAnApp, recordTurns, replaySession, THREE_TURNS } from "./runtime-support.ts";
const agent = await loadAgent(new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname);
const update = compileSession(agent);
const frames = await recordTurns(update, THREE_TURNS);
const { session, socket } = replaySession(update);
listenLikeAnApp(session);
const lineTypes = new Map<string, number>();
const nullSink = Object.assign(() => {}, { [STREAM_LINES]: (l: string, t: string) => { lineTypes.set(t, (lineTypes.get(t) ?? 0) + 1); } });
session.onEvent(nullSink);
for (const f of frames) socket.emit("message", f, false);
console.log([...lineTypes].map(([t, n]) => `${t}:${n}`).join(" "));
// time each piece over the real frames
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const texts = frames.map(String); const evs = texts.map((t) => JSON.parse(t));
let t0 = cpu(); for (let r = 0; r < 300; r++) for (let i = 0; i < texts.length; i++) SL.protocolMember(evs[i], texts[i]);
console.log("protocolMember µs/frame", ((cpu() - t0) * 1000 / 300 / texts.length).toFixed(2));
t0 = cpu(); for (let r = 0; r < 300; r++) for (let i = 0; i < texts.length; i++) JSON.parse(texts[i]);
console.log("JSON.parse µs/frame", ((cpu() - t0) * 1000 / 300 / texts.length).toFixed(2));
const per = new Map<string, number>();
for (let i = 0; i < texts.length; i++) { const a = cpu(); for (let r = 0; r < 300; r++) SL.protocolMember(evs[i], texts[i]); per.set(evs[i].type, (per.get(evs[i].type) ?? 0) + (cpu() - a) * 1000 / 300); }
console.log([...per].map(([t, us]) => `${t}: ${us.toFixed(1)}`).join("\n"));
const rounds = 300;
t0 = cpu(); for (let r = 0; r < rounds; r++) { for (const f of frames) socket.emit("message", f, false); }
console.log("full nullsink µs/frame", ((cpu() - t0) * 1000 / rounds / texts.length).toFixed(2));
process.exit(0);
