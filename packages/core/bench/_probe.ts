import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { listenLikeAnApp, recordTurns, replaySession, THREE_TURNS } from "./runtime-support.ts";
const agent = await loadAgent(new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname);
const update = compileSession(agent);
const frames = await recordTurns(update, THREE_TURNS);
const byType = new Map<string, {n:number; bytes:number}>();
for (const f of frames) { const t = JSON.parse(String(f)).type; const e = byType.get(t) ?? {n:0,bytes:0}; e.n++; e.bytes += f.length; byType.set(t,e); }
console.log(frames.length, [...byType].map(([t,e])=>`${t} ${e.n} avg ${Math.round(e.bytes/e.n)}`).join("\n"));
const { session, socket } = replaySession(update);
listenLikeAnApp(session);
const ev = new Map<string, number>();
session.onEvent((e) => ev.set(e.type, (ev.get(e.type) ?? 0) + 1));
for (const frame of frames) socket.emit("message", frame, false);
console.log([...ev].map(([t,n])=>`${t} ${n}`).join("\n"));
process.exit(0);
