import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { openSessionLog } from "../src/session-log/index.ts";
import { listenLikeAnApp, recordTurns, replaySession, THREE_TURNS } from "./runtime-support.ts";
const agent = await loadAgent(new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname);
const update = compileSession(agent);
const frames = await recordTurns(update, THREE_TURNS);
const { session, socket } = replaySession(update);
listenLikeAnApp(session);
const log = openSessionLog({ dir: mkdtempSync(join(tmpdir(), "p-")), agent });
const mode = process.env.MODE ?? "log";
if (mode === "log") session.onEvent(log.write);
if (mode === "stream") session.onEvent(() => {});
for (let r = 0; r < 1500; r++) { for (const f of frames) socket.emit("message", f, false); await new Promise((r) => setImmediate(r)); }
process.exit(0);
