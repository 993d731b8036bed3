// Memory per idle session of the hotel-concierge agent (its tools, scheduler and greeting included): connected,
// configured (session.update acknowledged), greeting done, no user turn. Sessions are opened in batches against a
// local server in its own process; after each batch the heap is collected and the growth of heap + external memory
// (socket buffers) per session is one sample. The comparison with the raw openai client is `pnpm bench peers`.

import { median, report } from "../../../bench/stats.ts";
import { verdict } from "../../../bench/verdict.ts";
import { loadAgent } from "../src/load/index.ts";
import type { Session } from "../src/runtime/session.ts";
import { startSession } from "../src/runtime/start-session.ts";
import { gc, serverProcess } from "./runtime-support.ts";

const agent = await loadAgent(
  new URL("../../../agents/hotel-concierge/concierge.agent.yaml", import.meta.url).pathname,
);
const server = await serverProcess();
const open = async () => {
  const session = await startSession({ agent, url: server.url });
  await new Promise<void>((resolve) => session.once("idle", () => resolve()));
  return session;
};

const used = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external, rss: m.rss };
};

// Warm-up: load every module and JIT the handshake path before measuring.
await Promise.all(Array.from({ length: 5 }, open)).then((s) =>
  Promise.all(s.map((x) => x.close())),
);

const batch = 25;
const batches = Number(process.env.PARLEY_BENCH_BATCHES ?? 8);
const perSession: number[] = [];
const perSessionRss: number[] = [];
const kept: Session[] = [];
for (let b = 0; b < batches; b++) {
  const before = used();
  for (let i = 0; i < batch; i++) kept.push(await open());
  await new Promise((r) => setTimeout(r, 50));
  const after = used();
  perSession.push((after.heap - before.heap) / batch / 1024);
  perSessionRss.push((after.rss - before.rss) / batch / 1024);
}
report("runtime memory per idle session (heap + external)", perSession, "KB", { digits: 1 });
verdict("runtime memory per idle concierge session, median", median(perSession), "KB", { max: 64 });
report("runtime memory per idle session (rss, noisy)", perSessionRss, "KB", { digits: 1 });
await Promise.all(kept.map((s) => s.close()));
await server.stop();
process.exit(0);
