// `pnpm bench peers`: Parley against @openai/agents-realtime (RealtimeSession, WebSocket transport) and the raw
// `openai` realtime client (OpenAIRealtimeWS), all on one local server (its own process, TLS: the openai client
// dials wss:// only), each client in its own child process (peers/client.ts).
// Setup and turns: in each round the three clients' processes run at once, warm up together, then take their timed
// steps in turns, one step at a time (a setup, or a text+tool turn pair), the next of all six orders at every step: each
// client's samples are spread over the same minutes, so a change in the machine's load (other benches, other
// engineers) falls on all three alike. Figures are medians over rounds of each round's median; the Parley / raw
// verdicts the median over rounds of each round's ratio.
// The long conversation (1,000 turns) and idle memory run once per client: their spread between runs is small next to
// what they show, and they are most of the bench's time (the agents SDK's turns grow with the conversation).
import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "../../../bench/stats.ts";
import { figure, interval, verdict } from "../../../bench/verdict.ts";
import { serverProcess } from "./runtime-support.ts";

const CLIENTS = ["parley", "agents", "raw"] as const;
type Client = (typeof CLIENTS)[number];
const ROUNDS = Number(process.env.PARLEY_BENCH_ROUNDS ?? 3);
const SETUPS = Number(process.env.PARLEY_BENCH_SETUPS ?? 15);
const PAIRS = Number(process.env.PARLEY_BENCH_TOOL_TURNS ?? 100);
const WARM = Number(process.env.PARLEY_BENCH_WARM_PAIRS ?? 600);
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
/** Each turns round's samples by client, for the per-round Parley / raw ratios. */
const turnRounds: Partial<Record<Client, Record<string, number>>>[] = [];
const add = (client: Client, r: Record<string, number>) => {
  for (const [k, v] of Object.entries(r)) {
    const key = `${client}.${k}`;
    samples.set(key, [...(samples.get(key) ?? []), v]);
  }
};
/**
 * The clients' order in a step, the next one at every step: all six orders of the three, the three rotations of
 * (parley, agents, raw) and then the three of (parley, raw, agents). What a step leaves behind (the shared server's
 * work, GC and compile threads, on 2 cores) lands on the next client's step, so every client must follow each other
 * one equally often. Cyclic shifts of one order alone did not: Parley followed raw 200 times and agents 100 times
 * over the 3 rounds' pair steps. In this sequence the neighbours within the orders and across step boundaries cover
 * every (before, after) pair alike: over the default 3 rounds of 100 pairs, each client's pair steps follow each
 * other client 150 times, and its counted setups each other client 15 times (counted by replaying this loop; exact
 * when rounds × pairs is a multiple of 6, within 1 % otherwise).
 */
const STEP_ORDERS = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 0, 1],
  [0, 2, 1],
  [2, 1, 0],
  [1, 0, 2],
] as const;
const mod = (n: number, m: number) => ((n % m) + m) % m;
/**
 * One turns round: the three clients' processes at once. Their warm-ups run together (untimed); then each timed step
 * (SETUPS setups, then PAIRS turn pairs) is cued to one client at a time, in the next of STEP_ORDERS at every step.
 */
async function interleavedRound(
  round: number,
): Promise<Partial<Record<Client, Record<string, number>>>> {
  const kids = CLIENTS.map((client) => {
    const kid = fork(script, [client, "turns", server.url], {
      execArgv: ["--expose-gc", "--import", "tsx"],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let stdout = "";
    let stderr = "";
    kid.stdout?.on("data", (d) => {
      stdout += d;
    });
    kid.stderr?.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<Record<string, number>>((resolve) =>
      kid.once("exit", () => {
        const line = stdout.trim().split("\n").at(-1) ?? "";
        try {
          resolve(JSON.parse(line) as Record<string, number>);
        } catch {
          process.stderr.write(`${client} turns failed:\n${stdout}\n${stderr}\n`);
          resolve({});
        }
      }),
    );
    return { client, kid, exited };
  });
  // A step's answer, or undefined when the process is gone (its failure is reported at its exit).
  const answer = (kid: ChildProcess) =>
    new Promise<unknown>((resolve) => {
      const done = (m?: unknown) => {
        kid.off("message", done);
        kid.off("exit", done);
        resolve(m);
      };
      kid.on("message", done);
      kid.on("exit", done);
    });
  const ready = kids.map((k) => answer(k.kid));
  await Promise.all(ready);
  const steps = [...Array<string>(SETUPS).fill("setup"), ...Array<string>(PAIRS).fill("pair")];
  for (const [i, step] of steps.entries()) {
    // The rounds' pair steps continue one sequence of orders, so together they make whole cycles of it.
    const at = mod(round * PAIRS + i - SETUPS, STEP_ORDERS.length);
    const order = STEP_ORDERS[at] as readonly number[];
    for (const j of order) {
      const { kid } = kids[j] as (typeof kids)[number];
      if (!kid.connected) continue;
      const done = answer(kid);
      kid.send(step);
      await done;
    }
  }
  for (const { kid } of kids) if (kid.connected) kid.send("end");
  const results = await Promise.all(kids.map((k) => k.exited));
  return Object.fromEntries(kids.map((k, i) => [k.client, results[i]]));
}

const phases: string[] = [];
const phase = async (name: string, run: () => void | Promise<void>) => {
  const t0 = performance.now();
  await run();
  phases.push(`${name} ${((performance.now() - t0) / 1000).toFixed(0)} s`);
};
if (!ONLY_MEMORY) {
  await phase(`turns (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const byClient = await interleavedRound(round);
      for (const c of CLIENTS) add(c, byClient[c] ?? {});
      turnRounds.push(byClient);
    }
  });
  if (!ONLY_TURNS)
    await phase("long conversation", () => {
      for (const c of CLIENTS) add(c, child(c, "long"));
    });
}
// Idle memory once per client in the full bench; over the rounds (rotated) when it is all the bench measures.
const memoryRounds = ONLY_MEMORY ? ROUNDS : 1;
if (!ONLY_TURNS)
  await phase("idle memory", () => {
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
  `per round, the three client processes first run ${WARM} untimed text+tool turn pairs each, on sessions of 100 ` +
    "pairs (JIT warm-up, the same for every client, all three at once), then take the timed steps in turns, one " +
    "step at a time, the next of all six orders of the three at every step (each client follows each other equally " +
    "often); setup: connect → session.updated (close not timed), median of " +
    `the last ${SETUPS - 5} of ${SETUPS}; text turn: user text sent → response.done; tool turn: user text → ` +
    `function call → output (an instant handler) → the answer's response.done; turns: median of all ${PAIRS} ` +
    `alternating pairs of one fresh session; ${ROUNDS} rounds: each cell the median of the rounds' medians, ` +
    "Parley / raw verdicts the median of the rounds' ratios (the highest round's beside it; FAIL when a round " +
    "lacks Parley's or raw's figures); CPU: this client process only (the server is " +
    "another process); " +
    IDLE_METHOD +
    "; turn 50 / turn 1,000: after the same warm-up (one client at a time), medians of turns 41–60 and 981–1,000 " +
    "of one session",
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
/** Parley / raw of `key`, round by round (NaN for a round without both figures). */
const ratios = (key: string) =>
  turnRounds.map((r) => (r.parley?.[key] ?? Number.NaN) / (r.raw?.[key] ?? Number.NaN));
const fixed2 = (x: number) => x.toFixed(2);
const spread = (key: string) =>
  `${key} Parley / raw by round: ${ratios(key).map(fixed2).join(" ")}`;
process.stdout.write(
  `${spread("textMs")}\n${spread("toolMs")}\n${spread("textCpuMs")}\n${spread("toolCpuMs")}\n\n`,
);
// A round whose Parley or raw client failed (its output is on stderr above) must not leave the verdict to the rounds
// that remain: a Parley failure would make it easier, not harder. So the verdicts stand only on every round, and
// fail (NaN) otherwise.
const turnKeys = ["textMs", "toolMs"];
const counted = turnRounds.filter((r) =>
  turnKeys.every((k) => r.parley?.[k] !== undefined && r.raw?.[k] !== undefined),
).length;
process.stdout.write(
  `turns rounds counted (Parley and raw figures both there): ${counted} of ${ROUNDS}\n`,
);
if (counted < ROUNDS)
  process.stdout.write(
    `FAIL: ${ROUNDS - counted} of ${ROUNDS} turns rounds have no Parley or raw figures; the Parley / raw verdicts ` +
      "below fail rather than stand on the rest\n",
  );
/** The verdict: the median over rounds of each round's ratio; beside it, the highest round's (of those counted). */
const turnVerdict = (label: string, key: string) => {
  const byRound = ratios(key);
  const name = `peers ${label}, Parley / raw client`;
  verdict(name, counted === ROUNDS ? median(byRound) : Number.NaN, "x", { max: 1.2 });
  figure(`${name}, highest round`, Math.max(...byRound.filter(Number.isFinite)), "x");
};
turnVerdict("tool turn", "toolMs");
turnVerdict("text turn", "textMs");
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
