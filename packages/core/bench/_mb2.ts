import { flatPayloadMember } from "../src/runtime/stream-lines.ts";
import { redactString } from "../src/log/redact.ts";
import { isSecretKey } from "../src/log/secret-shapes.ts";
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function t(name: string, fn: () => unknown, n=300000){ for(let i=0;i<1000;i++) fn(); const t0=cpu(); let x=0; for(let i=0;i<n;i++) x+= fn() ? 1 : 0; console.log(name.padEnd(28), ((cpu()-t0)/n*1000).toFixed(3),"µs"); }
const p = {itemId:"item_abc", responseId:"resp_abc", kind:"answer", audio: Buffer.alloc(4800), ms: 100};
const q = {itemId:"item_abc", responseId:"resp_abc", kind:"answer", ms: 100};
t("flat agent.audio", () => flatPayloadMember(p));
t("flat no buffer", () => flatPayloadMember(q));
t("instanceof", () => (p.audio as unknown) instanceof Uint8Array);
t("isSecretKey", () => isSecretKey("responseId"));
t("redactString", () => redactString("resp_abc"));
t("Object.keys", () => Object.keys(p).length);
