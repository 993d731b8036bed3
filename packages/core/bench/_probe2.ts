import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { flatPayloadMember, protocolMember } from "../src/runtime/stream-lines.ts";
import { recordTurns } from "./runtime-support.ts";
const agent = await loadAgent(new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname);
const update = compileSession(agent);
const frames = await recordTurns(update, ["Hello there"]);
for (const f of frames) { const t = String(f); const e = JSON.parse(t); if (protocolMember(e, t) === undefined) console.log("FALLBACK", e.type, t.slice(0, 300)); }
console.log(flatPayloadMember({itemId:"item_1", responseId:"resp_1", kind:"answer", audio: Buffer.alloc(10), ms: 1.5, x: undefined, n: null, b: true}));
process.exit(0);
