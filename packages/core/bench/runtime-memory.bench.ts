// Memory per idle session: connected, configured (session.update acknowledged), no turn yet. Sessions are opened
// in batches against a local server in its own process; after each batch the heap is collected and the growth of
// heap + external memory (socket buffers) per session is one sample. Target: under 1 MB.
import { compileSession } from "../src/compile/index.ts";
import { loadAgent } from "../src/load/index.ts";
import type { Session } from "../src/runtime/session.ts";
import { startSession } from "../src/runtime/start-session.ts";
import { gc, report, serverProcess } from "./runtime-support.ts";

const agent = await loadAgent(
  new URL("../test/fixtures/runtime/assistant.agent.yaml", import.meta.url).pathname,
);
const update = compileSession(agent);
const server = await serverProcess();
const open = () => startSession({ session: update, url: server.url });

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
report("runtime memory per idle session (heap + external)", perSession, "KB", 1);
report("runtime memory per idle session (rss, noisy)", perSessionRss, "KB", 1);
await Promise.all(kept.map((s) => s.close()));
await server.stop();
process.exit(0);
