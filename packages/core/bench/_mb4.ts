import { flatPayloadMember, metaTail } from "../src/runtime/stream-lines.ts";
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function t(name: string, fn: () => unknown, n=300000){ for(let i=0;i<1000;i++) fn(); const t0=cpu(); let x=0; for(let i=0;i<n;i++) x+= fn() ? 1 : 0; console.log(name.padEnd(28), ((cpu()-t0)/n*1000).toFixed(3),"µs"); }
const p = {itemId:"item_abc", responseId:"resp_abc", kind:"answer", audio: Buffer.alloc(4800), ms: 100.123456};
let at = 1000.123;
t("flat+meta+stringify", () => { const b = flatPayloadMember(p) as Record<string, unknown>; b.type = "agent.audio"; b.at = (at += 0.37); b.sessionId = "sess_x"; b.seq = 5; return JSON.stringify(b); });
t("flat only", () => flatPayloadMember(p));
t("literal stringify", () => JSON.stringify({itemId:"item_abc", responseId:"resp_abc", kind:"answer", audioBytes: 4800, ms: 100.123456, type:"agent.audio", at: (at += 0.37), sessionId:"sess_x", seq: 5}));
t("metaTail", () => metaTail('{"event":{"a":1}', "server.event", (at += 0.37), "sess_x", 5));
t("num to string", () => String(at += 0.37));
