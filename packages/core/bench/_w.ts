import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAgent } from "../src/load/index.ts";
import { STREAM_LINES } from "../src/runtime/event-stream.ts";
import { openSessionLog } from "../src/session-log/index.ts";
const agent = await loadAgent(new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname);
const log = openSessionLog({ dir: mkdtempSync(join(tmpdir(), "w-")), agent });
const sink = log.write[STREAM_LINES];
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const base = '{"event":{"type":"response.output_audio.delta","event_id":"event_0000000100000000000","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"audioBytes":4800}';
let s = 0;
for (let k = 0; k < 3; k++) {
let t0 = cpu();
for (let r = 0; r < 200; r++) { for (let i = 0; i < 300; i++) sink(`${base},"type":"server.event","at":${r * 1000 + i},"sessionId":"sess_1","seq":${i}}`, "server.event"); await new Promise((r) => setImmediate(r)); }
console.log("writer µs/line", ((cpu() - t0) * 1000 / 60000).toFixed(2));
let pending = "";
t0 = cpu();
for (let r = 0; r < 200; r++) { for (let i = 0; i < 300; i++) { pending += `${base},"type":"server.event","at":${r * 1000 + i},"sessionId":"sess_1","seq":${i}}\n`; if (pending.length > 32768) { s += Buffer.byteLength(pending); pending = ""; } } await new Promise((r) => setImmediate(r)); }
console.log("concat+encode µs/line", ((cpu() - t0) * 1000 / 60000).toFixed(2));
}
await log.close();
process.exit(0);
