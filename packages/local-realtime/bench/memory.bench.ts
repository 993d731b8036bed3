// Memory per connected session: the server's heap + external memory (after GC) as a client process holds
// 100, 300 and 500 configured sessions open; per-session cost at each step, median over the steps.

import { report } from "../../../bench/stats.ts";
import { startLocalRealtime } from "../src/index.ts";
import { runClients } from "./run-clients.ts";

const gc = (globalThis as { gc?: () => void }).gc;
const used = () => {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
};
const server = await startLocalRealtime({ pace: 0 });
const base = used();
const perSession: number[] = [];
for (const n of [100, 300, 500]) {
  let sample = 0;
  const probe = setInterval(() => {
    if (server.sessions === n && sample === 0) sample = used();
  }, 100);
  await runClients(server.url, "idle", n, 1.5);
  clearInterval(probe);
  if (sample) perSession.push((sample - base) / n / 1024);
  while (server.sessions > 0) await new Promise((r) => setTimeout(r, 50));
}
report("memory per connected session", perSession, "KB");
await server.close();
