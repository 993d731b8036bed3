// One client of the peer benchmark in its own process: `client.ts <parley|agents|raw> <turns|long|memory> <url>`.
// Prints one JSON line of raw samples; peers.bench.ts aggregates. Clocks start after the agent is loaded (loading is
// the load-compile bench's figure), before the connect.
import { join } from "node:path";
import { compileSession, loadAgent } from "@parley/core";
import { median } from "../../../../bench/stats.ts";
import { cpuMs, settledMemory } from "../../../../bench/verdict.ts";
import { agentsSdk, type Connect, parley, raw, textTurnText } from "./drivers.ts";

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
  // setup: connect → session.updated (wall and CPU), then close (not timed); the first 5 warm up.
  const setupMs: number[] = [];
  const setupCpu: number[] = [];
  const setups = Number(process.env.PARLEY_BENCH_SETUPS ?? 15);
  for (let i = 0; i < setups; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    const s = await connect();
    setupMs.push(performance.now() - t0);
    setupCpu.push(cpuMs() - c0);
    await s.close();
  }
  // text and tool turns alternate on one fresh session, so both see the same conversation length (the local
  // server's work grows with it): user text → response.done, and user text → call → output → answer's done.
  const t = await connect();
  const textMs: number[] = [];
  const textCpu: number[] = [];
  const toolMs: number[] = [];
  const toolCpu: number[] = [];
  const timed = async (turn: () => Promise<void>, ms: number[], cpu: number[], keep: boolean) => {
    const c0 = cpuMs();
    const t0 = performance.now();
    await turn();
    if (!keep) return;
    ms.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  };
  const pairs = Number(process.env.PARLEY_BENCH_TOOL_TURNS ?? 60);
  for (let i = 0; i < pairs; i++) {
    const keep = i >= 10; // warm-up
    await timed(() => t.textTurn(textTurnText(i)), textMs, textCpu, keep);
    await timed(() => t.toolTurn(), toolMs, toolCpu, keep);
  }
  await t.close();
  Object.assign(out, {
    setupMs: median(setupMs.slice(5)),
    setupCpuMs: median(setupCpu.slice(5)),
    textMs: median(textMs),
    textCpuMs: median(textCpu),
    toolMs: median(toolMs),
    toolCpuMs: median(toolCpu),
  });
} else {
  // long: one session; turn 50 and turn 1,000 are the medians of turns 41–60 and 981–1,000.
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
