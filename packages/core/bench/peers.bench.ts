// `pnpm bench peers`: Parley against @openai/agents-realtime (RealtimeSession, WebSocket transport) and the raw
// `openai` realtime client (OpenAIRealtimeWS), all on one local server (its own process, TLS: the openai client
// dials wss:// only), each client in its own child process (peers/client.ts), client order rotated across rounds.
// Setup and turn figures are medians over rounds of each round's median (client order rotated); the long
// conversation (1,000 turns) and idle memory run once per client: their spread between runs is small next to what
// they show, and they are most of the bench's time (the agents SDK's turns grow with the conversation).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "../../../bench/stats.ts";
import { figure, interval, verdict } from "../../../bench/verdict.ts";
import { serverProcess } from "./runtime-support.ts";

const CLIENTS = ["parley", "agents", "raw"] as const;
type Client = (typeof CLIENTS)[number];
const ROUNDS = Number(process.env.PARLEY_BENCH_ROUNDS ?? 3);
// `PARLEY_BENCH_PEERS=memory` runs only the idle-memory part (about a minute instead of eight), `=turns` only the
// setup and turn rounds (no 1,000-turn conversation, no idle memory): for working on one of them.
const ONLY_MEMORY = process.env.PARLEY_BENCH_PEERS === "memory";
const ONLY_TURNS = process.env.PARLEY_BENCH_PEERS === "turns";

// The clients run Parley from its built JavaScript (dist), as an installed package runs, not the TypeScript source
// through tsx: tsx compiles with esbuild's keepNames, which gives every closure its own `name` property (a 256-byte
// property store each: ~26 KB more per idle session, and CPU) that no user's process pays.
spawnSync(process.execPath, [join(import.meta.dirname, "../../../scripts/build.mjs"), "--quiet"]);
const server = await serverProcess({ tls: true });
const caFile = join(mkdtempSync(join(tmpdir(), "parley-bench-ca-")), "ca.pem");
writeFileSync(caFile, server.certificate ?? "");
const script = join(import.meta.dirname, "peers/client.ts");

function child(client: Client, mode: string): Record<string, number> {
  const run = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", script, client, mode, server.url],
    { encoding: "utf8", env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile }, timeout: 300_000 },
  );
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line) as Record<string, number>;
  } catch {
    process.stderr.write(`${client} ${mode} failed:\n${run.stdout}\n${run.stderr}\n`);
    return {};
  }
}

const samples = new Map<string, number[]>();
const add = (client: Client, r: Record<string, number>) => {
  for (const [k, v] of Object.entries(r)) {
    const key = `${client}.${k}`;
    samples.set(key, [...(samples.get(key) ?? []), v]);
  }
};
const phases: string[] = [];
const phase = (name: string, run: () => void) => {
  const t0 = performance.now();
  run();
  phases.push(`${name} ${((performance.now() - t0) / 1000).toFixed(0)} s`);
};
if (!ONLY_MEMORY) {
  phase(`turns (${ROUNDS} rounds)`, () => {
    for (let round = 0; round < ROUNDS; round++) {
      const order = CLIENTS.map((_, i) => CLIENTS[(i + round) % CLIENTS.length] as Client);
      for (const c of order) add(c, child(c, "turns"));
    }
  });
  if (!ONLY_TURNS)
    phase("long conversation", () => {
      for (const c of CLIENTS) add(c, child(c, "long"));
    });
}
// Idle memory once per client in the full bench; over the rounds (rotated) when it is all the bench measures.
const memoryRounds = ONLY_MEMORY ? ROUNDS : 1;
if (!ONLY_TURNS)
  phase("idle memory", () => {
    for (let round = 0; round < memoryRounds; round++) {
      const order = CLIENTS.map((_, i) => CLIENTS[(i + round) % CLIENTS.length] as Client);
      for (const c of order) add(c, child(c, "memory"));
    }
  });
// Every client alike: 100 sessions opened and closed first (the JIT's one-time compiling and feedback is not a
// session's), then 100 held; the heap read after full GCs once it stops shrinking (closed sockets go over a few turns).
const IDLE_METHOD =
  "idle memory: heap + external per connected, configured session (100 held, after 100 opened and closed " +
  "to warm up, the same for every client; full GCs until the heap stops shrinking)";
const get = (client: Client, k: string) => median(samples.get(`${client}.${k}`) ?? []);
const idleMemory = () =>
  verdict(
    "peers idle memory per session, Parley / raw client",
    get("parley", "idleKB") / get("raw", "idleKB"),
    "x",
    { max: 1 },
  );
if (ONLY_MEMORY) {
  interval(IDLE_METHOD);
  for (const c of CLIENTS) figure(`peers idle memory per session, ${c}`, get(c, "idleKB"), "KB");
  idleMemory();
  await server.stop();
  process.exit(0);
}

interval(
  "setup: connect → session.updated (close not timed); text turn: user text sent → response.done; tool turn: " +
    "user text → function call → output (an instant handler) → the answer's response.done; CPU: this client " +
    "process only (the server is another process); " +
    IDLE_METHOD +
    "; turn 50 / turn 1,000: medians of turns 41–60 and 981–1,000 of one session",
);
const allRows: [string, string, string][] = [
  ["setup time", "setupMs", "ms"],
  ["setup CPU", "setupCpuMs", "ms"],
  ["text turn", "textMs", "ms"],
  ["text turn CPU", "textCpuMs", "ms"],
  ["tool turn", "toolMs", "ms"],
  ["tool turn CPU", "toolCpuMs", "ms"],
  ["idle memory per session", "idleKB", "KB"],
  ["turn 50", "turn50Ms", "ms"],
  ["turn 1,000", "turnLastMs", "ms"],
  ["turn 50 CPU", "turn50CpuMs", "ms"],
  ["turn 1,000 CPU", "turnLastCpuMs", "ms"],
];
const rows = ONLY_TURNS ? allRows.slice(0, 6) : allRows;
process.stdout.write(
  `\n| figure | Parley | agents-realtime | raw openai | Parley / raw |\n|---|---|---|---|---|\n`,
);
for (const [label, key, unit] of rows) {
  const [p, a, r] = CLIENTS.map((c) => get(c, key)) as [number, number, number];
  process.stdout.write(
    `| ${label} (${unit}) | ${p.toFixed(2)} | ${a.toFixed(2)} | ${r.toFixed(2)} | ${(p / r).toFixed(2)} |\n`,
  );
}
process.stdout.write(`\ntime per phase: ${phases.join(", ")}\n\n`);
for (const [label, key, unit] of rows)
  figure(`peers ${label}, agents-realtime`, get("agents", key), unit);
verdict(
  "peers tool turn, Parley / raw client",
  get("parley", "toolMs") / get("raw", "toolMs"),
  "x",
  {
    max: 1.2,
  },
);
verdict(
  "peers text turn, Parley / raw client",
  get("parley", "textMs") / get("raw", "textMs"),
  "x",
  {
    max: 1.2,
  },
);
if (ONLY_TURNS) {
  await server.stop();
  process.exit(0);
}
idleMemory();
// The local server's own work grows with the conversation: the raw client's ratio shows that part.
figure(
  "peers turn 1,000 / turn 50 latency, raw client (the server's share)",
  get("raw", "turnLastMs") / get("raw", "turn50Ms"),
  "x",
);
verdict(
  "peers turn 1,000 / turn 50 latency, Parley",
  get("parley", "turnLastMs") / get("parley", "turn50Ms"),
  "x",
  { max: 1.2 },
);
verdict(
  "peers turn 1,000 / turn 50 CPU, Parley",
  get("parley", "turnLastCpuMs") / get("parley", "turn50CpuMs"),
  "x",
  { max: 1.2 },
);
await server.stop();
process.exit(0);
