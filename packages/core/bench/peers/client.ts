// One client of the peer benchmark in its own process: `client.ts <parley|agents|raw> <turns|long|memory> <url>`.
// Prints one JSON line of raw samples; peers.bench.ts aggregates. Clocks start after the agent is loaded (loading is
// the load-compile bench's figure), before the connect.
import { join } from "node:path";
import { compileSession, loadAgent } from "@parley/core";
import { median } from "../../../../bench/stats.ts";
import { cpuMs, settledMemory } from "../../../../bench/verdict.ts";
import { agentsSdk, type Connect, type PeerSession, parley, raw, textTurnText } from "./drivers.ts";

const [which, mode, url] = process.argv.slice(2) as [string, string, string];
const agent = await loadAgent(join(import.meta.dirname, "../fixtures/peer.agent.yaml"));
const update = compileSession(agent);
const instructions = String((update.session as { instructions?: string }).instructions ?? "");
// Every client dials the same host: the raw client's (its driver connects to 127.0.0.1). A host name costs each
// TLS socket its SNI `servername` and a second host string, so a client given `localhost` would pay for the bench.
const host = url.replace("//localhost:", "//127.0.0.1:");
const connect: Connect =
  which === "parley"
    ? parley(host, agent)
    : which === "raw"
      ? await raw(host, update)
      : await agentsSdk(host, instructions);

const out: Record<string, unknown> = {};

/**
 * The turns mode's steps: from the parent over IPC (`ready` is sent when the warm-up is done; each step is answered
 * with `done`; `end` ends them), or, run by hand, the default counts one after another.
 */
async function* cues(): AsyncGenerator<string> {
  const send = process.send?.bind(process);
  if (!send) {
    for (let i = 0; i < Number(process.env.PARLEY_BENCH_SETUPS ?? 15); i++) yield "setup";
    for (let i = 0; i < Number(process.env.PARLEY_BENCH_TOOL_TURNS ?? 100); i++) yield "pair";
    return;
  }
  let reply = "ready";
  for (;;) {
    const next = new Promise<string>((resolve) => process.once("message", resolve));
    send(reply);
    const step = await next;
    if (step === "end") return;
    yield step;
    reply = "done";
  }
}

/**
 * The heap once it stops shrinking: closed sockets are released over the next few turns of the event loop (their
 * handles' close callbacks), so one full GC right after a close still counts a part of them.
 */
async function settled(): Promise<number> {
  let last = settledMemory();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const now = settledMemory();
    if (Math.abs(now - last) < 1024) return now;
    last = now;
  }
  return last;
}
/**
 * Warm-up, the same for every client, before anything in the turns and long modes is timed: untimed turn pairs (text,
 * then tool) on sessions of 100 pairs each (a new session every 100, so no client's warm-up grows with one long
 * conversation), all closed. A fresh process's first turns are mostly the JIT compiling and optimising: CPU per pair
 * fell for every client until ~600 pairs (Parley 2.1 ms at pairs 200–300 → 1.7 from 600 on, the raw client 1.56 →
 * 1.43; the old 10-pair warm-up left the ratios 1.05–1.45× from run to run), and turn 50 of the long conversation
 * was timed while the JIT still worked (it came out slower than turn 1,000).
 */
async function warmUp(): Promise<void> {
  const warmPairs = Number(process.env.PARLEY_BENCH_WARM_PAIRS ?? 600);
  for (let done = 0; done < warmPairs; ) {
    const w = await connect();
    for (const end = Math.min(warmPairs, done + 100); done < end; done++) {
      await w.textTurn(textTurnText(done));
      await w.toolTurn();
    }
    await w.close();
  }
}

if (mode === "memory") {
  const n = Number(process.env.PARLEY_BENCH_IDLE ?? 100);
  // The first n sessions warm up (the JIT compiles and allocates feedback for the code a session runs, a cost
  // paid once per process), then close; the next n are measured. Every client gets the same.
  const hold = async () => {
    const kept = [];
    for (let i = 0; i < n; i++) kept.push(await connect());
    return kept;
  };
  for (const s of await hold()) await s.close();
  const before = await settled();
  const kept = await hold();
  await new Promise((r) => setTimeout(r, 100)); // what the server sends after session.updated arrives
  out.idleKB = ((await settled()) - before) / n / 1024;
  for (const s of kept) await s.close();
} else if (mode === "turns") {
  await warmUp();
  const setupMs: number[] = [];
  const setupCpu: number[] = [];
  const textMs: number[] = [];
  const textCpu: number[] = [];
  const toolMs: number[] = [];
  const toolCpu: number[] = [];
  const timed = async <T>(step: () => Promise<T>, ms: number[], cpu: number[]): Promise<T> => {
    const c0 = cpuMs();
    const t0 = performance.now();
    const value = await step();
    ms.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
    return value;
  };
  // The timed steps, each when peers.bench.ts cues it (it takes the clients in turns, one step at a time, so every
  // client's steps are spread over the same minutes and see the same load); run alone, the steps follow each other.
  // setup: connect → session.updated (wall and CPU), then close (not timed). pair: a text turn (user text →
  // response.done) and a tool turn (user text → call → output → answer's done), alternating on one fresh session
  // (connected, untimed, at the first pair), so both see the same conversation length (the server's work grows with
  // it).
  let session: PeerSession | undefined;
  let pair = 0;
  const steps: Record<string, () => Promise<void>> = {
    async setup() {
      const s = await timed(connect, setupMs, setupCpu);
      await s.close();
    },
    async pair() {
      session ??= await connect();
      const t = session;
      await timed(() => t.textTurn(textTurnText(pair++)), textMs, textCpu);
      await timed(() => t.toolTurn(), toolMs, toolCpu);
    },
  };
  for await (const step of cues()) await steps[step]?.();
  await session?.close();
  Object.assign(out, {
    setupMs: median(setupMs.slice(5)),
    setupCpuMs: median(setupCpu.slice(5)),
    textMs: median(textMs),
    textCpuMs: median(textCpu),
    toolMs: median(toolMs),
    toolCpuMs: median(toolCpu),
  });
} else {
  // long: after the warm-up, one session; turn 50 and turn 1,000 are the medians of turns 41–60 and 981–1,000.
  await warmUp();
  const turns = Number(process.env.PARLEY_BENCH_LONG_TURNS ?? 1000);
  const s = await connect();
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 1; i <= turns; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    await s.textTurn(textTurnText(i));
    ms.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  await s.close();
  const window = (from: number, to: number, x: number[]) => median(x.slice(from - 1, to));
  Object.assign(out, {
    turn50Ms: window(41, 60, ms),
    turn50CpuMs: window(41, 60, cpu),
    turnLastMs: window(turns - 19, turns, ms),
    turnLastCpuMs: window(turns - 19, turns, cpu),
  });
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
