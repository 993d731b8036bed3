// Sessions opened and closed in one process: does anything stay behind, and what does setting one up cost?
// - leak: for each example agent and a generated 200-tool agent, load the agent once, open and close 1,000 sessions
//   (8 at a time) against a local server in its own process; heap + external after full GCs, before and after.
// - setup: client CPU per session setup for the 200-tool agent, against a plain `ws` client sending the identical
//   `session.update` (the compiled one) and waiting for `session.updated` the same way.
import { join } from "node:path";
import { getHeapSpaceStatistics } from "node:v8";
import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import WebSocket from "ws";
import { cpuMs, figure, interval, settledMemory, verdict } from "../../../bench/verdict.ts";
import { compileSession } from "../src/compile/index.ts";
import { type LoadedAgent, loadAgent } from "../src/load/index.ts";
import { startSession } from "../src/runtime/start-session.ts";
import { writeManyToolsAgent } from "./fixtures/many-tools.ts";
import { serverProcess } from "./runtime-support.ts";

const root = new URL("../../../", import.meta.url).pathname;
const SESSIONS = Number(process.env.PARLEY_BENCH_SESSIONS ?? 1000);
// V8 keeps compiling hot functions for the first few hundred sessions (optimised code, deopt data: ~300 KB, then
// flat; heap snapshots after that show no JavaScript object left per session). Warming up past that keeps the
// figure about what sessions leave behind, not about the JIT; the JIT code grown during the run is shown beside it.
const WARMUP = Number(process.env.PARLEY_BENCH_WARMUP ?? 300);
const AT_ONCE = 8;
const env = { HELPDESK_MCP_TOKEN: "bench-token" };
const agents: Record<string, string> = {
  "hotel-concierge": join(root, "agents/hotel-concierge/concierge.agent.yaml"),
  support: join(root, "agents/support/support.agent.md"),
  billing: join(root, "agents/support/billing.agent.md"),
  "order-desk": join(root, "agents/order-desk/order-desk.agent.ts"),
  "generated 200-tool": writeManyToolsAgent(200),
};

const server = await serverProcess();

async function parleySession(agent: LoadedAgent): Promise<void> {
  const session = await startSession({ agent, url: server.url });
  await session.close();
}

async function plainSession(update: SessionUpdateEvent): Promise<void> {
  const url = new URL(server.url);
  url.searchParams.set("model", "gpt-realtime"); // what startSession adds
  const ws = new WebSocket(url, { headers: { Authorization: "Bearer sk-local-bench" } });
  await new Promise<void>((resolve, reject) => {
    // Never hang the whole `pnpm bench`: a refused update or a silent server fails this bench instead.
    const timer = setTimeout(
      () => reject(new Error("plain client: no session.updated in 10 s")),
      10_000,
    );
    ws.once("error", reject);
    ws.once("open", () => {
      ws.on("message", (data) => {
        const event = JSON.parse(String(data)) as { type: string; error?: { message?: string } };
        if (event.type === "error") reject(new Error(`plain client: ${event.error?.message}`));
        if (event.type !== "session.updated") return;
        clearTimeout(timer);
        resolve();
      });
      ws.send(JSON.stringify(update));
    });
  });
  await new Promise<void>((resolve) => {
    ws.once("close", () => resolve());
    ws.close();
  });
}

/** V8's code spaces (compiled functions), measured after settledMemory()'s collections. */
function codeBytes(): number {
  return getHeapSpaceStatistics()
    .filter((s) => s.space_name.startsWith("code"))
    .reduce((sum, s) => sum + s.space_used_size, 0);
}

/** Runs `n` sessions, `AT_ONCE` at a time; returns the client CPU (ms) they took. */
async function many(n: number, one: () => Promise<void>): Promise<number> {
  const start = cpuMs();
  let next = 0;
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (next++ < n) await one();
    }),
  );
  return cpuMs() - start;
}

interval(
  `leak: ${SESSIONS} sessions per agent, each startSession() → session.updated → close() → closed, ${AT_ONCE} at a time; ` +
    `heap + external after two full GCs, after the run minus before it (agent loaded once, ${WARMUP} warm-up sessions first)`,
);
let loaded: LoadedAgent | undefined;
for (const [name, file] of Object.entries(agents)) {
  const agent = await loadAgent(file, { env });
  loaded = agent;
  await many(WARMUP, () => parleySession(agent));
  const before = settledMemory();
  const codeBefore = codeBytes();
  await many(SESSIONS, () => parleySession(agent));
  const after = settledMemory();
  verdict(`heap growth per session, ${name}`, (after - before) / SESSIONS / 1024, "KB", { max: 1 });
  figure(`of which JIT code, ${name}`, (codeBytes() - codeBefore) / SESSIONS / 1024, "KB");
}

interval(
  "setup: client CPU (user + system, this process; the server is another process) per session, from the " +
    "connect to session.updated and the close, averaged over the run; Parley's includes compiling the agent's " +
    "session.update and building its tool scheduler",
);
const many200 = loaded as LoadedAgent;
const update = compileSession(many200);
await many(50, () => plainSession(update));
const rounds = 3;
let parley = 0;
let plain = 0;
const n = Math.max(50, Math.floor(SESSIONS / 4));
for (let r = 0; r < rounds; r++) {
  plain += await many(n, () => plainSession(update));
  parley += await many(n, () => parleySession(many200));
}
const perParley = parley / (rounds * n);
const perPlain = plain / (rounds * n);
process.stdout.write(
  `setup CPU per session, 200-tool agent: Parley ${perParley.toFixed(2)} ms, plain ws client ${perPlain.toFixed(2)} ms\n`,
);
verdict("setup CPU ratio Parley / plain client, 200-tool agent", perParley / perPlain, "x", {
  max: 2,
});
await server.stop();
process.exit(0);
