// Scheduler figures (issue 5): overhead from a complete function call to its handler, filler timing error on the
// real clock, and 1,000 concurrent calls in one session. Prints `name: median X, p99 Y (unit)` lines only.

import { scriptedModel, startLocalRealtime } from "@parley/local-realtime";
import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import { z } from "zod";
import { quantile, report } from "../../../bench/stats.ts";
import { verdict } from "../../../bench/verdict.ts";
import { systemClock } from "../src/clock/index.ts";
import { loadAgent } from "../src/load/index.ts";
import { startSession } from "../src/runtime/start-session.ts";
import type { ResponseRequest, SchedulerHost } from "../src/scheduler/host.ts";
import { ToolScheduler } from "../src/scheduler/tool-scheduler.ts";
import { defineTool, type ToolDefinition } from "../src/tool/index.ts";

/** A host on the real clock whose queue never blocks (the runtime's queue is measured elsewhere). */
function benchHost(
  onRequest: (req: ResponseRequest) => void = () => {},
  onSend: (e: RealtimeClientEvent) => void = () => {},
) {
  const host: SchedulerHost = {
    send: onSend,
    responses: { request: onRequest, inProgress: false },
    userSpeaking: false,
    clock: systemClock,
    variables: {},
  };
  return host;
}

const params = z.object({
  reference: z.string().min(3),
  nights: z.number().int().min(1).default(1),
});

async function overhead(): Promise<void> {
  let invokedAt = 0;
  const tool = defineTool({
    name: "lookup_booking",
    description: "",
    parameters: params,
    filler: { after: "1.5s", lines: ["One moment."] },
    run: () => {
      invokedAt = performance.now();
      return { ok: true };
    },
  });
  const scheduler = new ToolScheduler(benchHost(), { tools: [tool] });
  const samples: number[] = [];
  const total = 30_000;
  for (let i = 0; i < total; i++) {
    const item = {
      type: "function_call" as const,
      call_id: `call_${i}`,
      name: "lookup_booking",
      arguments: `{"reference":"ABC${i}","nights":2}`,
    };
    const t0 = performance.now();
    scheduler.onFunctionCall(item);
    if (i >= 5000) samples.push((invokedAt - t0) * 1000); // after warm-up
    if (i % 1000 === 0) await new Promise((r) => setImmediate(r)); // let completions settle
  }
  await scheduler.close();
  report("scheduler overhead, function call to handler invoked", samples, "µs");
  verdict("scheduler overhead p99, call to handler invoked", quantile(samples, 0.99), "µs", {
    max: 200,
  });
}

async function fillerTiming(): Promise<void> {
  const errors: number[] = [];
  const started = new Map<string, number>();
  const counts = new Map<string, number>();
  const after = 200;
  const every = 150;
  const host = benchHost((req) => {
    if (req.kind !== "filler") return;
    const id = String(req.response?.metadata?.call_id);
    const n = counts.get(id) ?? 0;
    counts.set(id, n + 1);
    errors.push(performance.now() - ((started.get(id) ?? 0) + after + n * every));
  });
  const tool = defineTool({
    name: "slow",
    description: "",
    parameters: z.object({}),
    filler: { after, every, max: 3, lines: ["One moment.", "Still working."] },
    run: (_a, ctx) => new Promise((resolve) => setTimeout(() => resolve(ctx.callId), 700)),
  });
  const scheduler = new ToolScheduler(host, { tools: [tool] });
  for (let i = 0; i < 300; i++) {
    started.set(`f${i}`, performance.now());
    scheduler.onFunctionCall({
      type: "function_call",
      call_id: `f${i}`,
      name: "slow",
      arguments: "{}",
    });
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, 3));
  }
  await new Promise((r) => setTimeout(r, 1200));
  await scheduler.close();
  if (errors.length !== 900) throw new Error(`expected 900 fillers, got ${errors.length}`);
  report("filler timing error against configured time", errors, "ms", { digits: 2 });
  verdict("filler timing error p99", quantile(errors, 0.99), "ms", { max: 20 });
}

async function thousandCalls(): Promise<void> {
  const outputs = new Map<string, number>();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const host = benchHost(undefined, (e) => {
    if (e.type === "conversation.item.create" && e.item.type === "function_call_output") {
      const id = e.item.call_id;
      outputs.set(id, (outputs.get(id) ?? 0) + 1);
      latencies.push(performance.now() - (sentAt.get(id) ?? 0));
      if (e.item.output.includes('"error"')) throw new Error(`call ${id} failed: ${e.item.output}`);
    }
  });
  const tool = defineTool({
    name: "fetch_quote",
    description: "",
    parameters: z.object({ symbol: z.string() }),
    filler: { after: 20, every: 20, max: 2, lines: ["One moment."] },
    run: ({ symbol }, { progress }) =>
      new Promise((resolve) => {
        setTimeout(() => progress(`checking ${symbol}`), 10);
        setTimeout(() => resolve({ symbol, price: 1 }), 30 + Math.random() * 70);
      }),
  });
  const scheduler = new ToolScheduler(host, { tools: [tool] });
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) {
    sentAt.set(`q${i}`, performance.now());
    scheduler.onFunctionCall({
      type: "function_call",
      call_id: `q${i}`,
      name: "fetch_quote",
      arguments: `{"symbol":"S${i}"}`,
    });
  }
  if (scheduler.activeCalls !== 1000)
    throw new Error(`expected 1000 calls in flight, got ${scheduler.activeCalls}`);
  while (outputs.size < 1000 && performance.now() - t0 < 10_000)
    await new Promise((r) => setTimeout(r, 5));
  await scheduler.close();
  const once = [...outputs.values()].every((n) => n === 1);
  if (outputs.size !== 1000 || !once)
    throw new Error(`expected exactly one output for each of 1000 calls, got ${outputs.size}`);
  report("1000 concurrent calls, call to output (handlers take 30-100ms)", latencies, "ms");
}

/** 1,000 calls in one model response, through the real runtime and socket: each gets one output, one answer follows. */
async function thousandCallsOverSocket(): Promise<void> {
  const n = 1000;
  const calls = Array.from({ length: n }, (_, i) => ({
    call: { name: "check_rooms", arguments: { date: `d${i}` } },
  }));
  const model = scriptedModel([
    { user: "check every date" },
    ...calls,
    { say: "All dates checked." },
  ]);
  const server = await startLocalRealtime({ port: 0, pace: 0, model });
  const agent = await loadAgent(
    new URL("../test/fixtures/scheduler/concierge.agent.yaml", import.meta.url).pathname,
  );
  const started = new Map<string, number>();
  const latencies: number[] = [];
  const outputs = new Map<string, number>();
  const tools = agent.tools.map((t) => ({
    ...t,
    run: (_args: unknown, ctx: { callId: string }) => {
      started.set(ctx.callId, performance.now());
      return new Promise((resolve) =>
        setTimeout(() => resolve({ free: 3 }), 30 + Math.random() * 70),
      );
    },
  })) as ToolDefinition[];
  let answers = 0;
  const errors: string[] = [];
  const session = await startSession({
    agent,
    url: server.url,
    scheduler: { tools },
    on: {
      "client.event": (e) => {
        if (e.type === "conversation.item.create" && e.item.type === "function_call_output") {
          const id = e.item.call_id;
          outputs.set(id, (outputs.get(id) ?? 0) + 1);
          latencies.push(performance.now() - (started.get(id) ?? 0));
          if (e.item.output.includes('"error"'))
            throw new Error(`call ${id} failed: ${e.item.output}`);
        }
      },
      "agent.transcript.done": (e) => {
        if (e.kind === "answer" && e.transcript === "All dates checked.") answers++;
      },
      error: (e) => {
        errors.push(String(e.error?.message ?? e.error));
      },
    },
  });
  const t0 = performance.now();
  session.sendText("check every date");
  while ((outputs.size < n || answers === 0) && performance.now() - t0 < 30_000)
    await new Promise((r) => setTimeout(r, 5));
  await session.close();
  await server.close();
  if (outputs.size !== n || ![...outputs.values()].every((c) => c === 1)) {
    throw new Error(`expected exactly one output for each of ${n} calls, got ${outputs.size}`);
  }
  if (answers !== 1) throw new Error(`expected the scripted answer once, got ${answers}`);
  if (errors.length) throw new Error(`session errors: ${errors.join("; ")}`);
  report(
    "1000 calls in one response over a socket, handler start to output sent (handlers take 30-100ms)",
    latencies,
    "ms",
  );
}

/** The same path over a real socket: the client sees `function_call_arguments.done` → runtime → scheduler → handler. */
async function overheadOverSocket(): Promise<void> {
  const server = await startLocalRealtime({ port: 0, pace: 0 });
  const agent = await loadAgent(
    new URL("../test/fixtures/scheduler/concierge.agent.yaml", import.meta.url).pathname,
  );
  let invoked: (() => void) | undefined;
  let argsDoneAt = 0;
  const samples: number[] = [];
  const tools = agent.tools.map((t) => ({
    ...t,
    run: () => {
      samples.push((performance.now() - argsDoneAt) * 1000);
      invoked?.();
      return { status: "confirmed" };
    },
  })) as ToolDefinition[];
  const session = await startSession({
    agent,
    url: server.url,
    scheduler: { tools },
    on: {
      "server.event": (e) => {
        if (e.type === "response.function_call_arguments.done") argsDoneAt = performance.now();
      },
    },
  });
  for (let i = 0; i < 300; i++) {
    const done = new Promise<void>((resolve) => {
      invoked = resolve;
    });
    // The turn is over when the answer about the output is done (the response that made the call comes first).
    const answered = new Promise<void>((resolve) => {
      let seen = 0;
      const listener = () => {
        if (++seen < 2) return;
        session.off("response.done", listener);
        resolve();
      };
      session.on("response.done", listener);
    });
    session.sendText(`/call lookup_booking {"reference":"AB${String(i).padStart(4, "0")}"}`);
    await done;
    await answered;
    // A person does not start the next turn within a millisecond of the answer; the in-process server and its GC
    // settle meanwhile, as they would between real turns.
    await new Promise((r) => setTimeout(r, 20));
  }
  await session.close();
  await server.close();
  report(
    "function_call_arguments.done to handler invoked, over a socket (runtime + scheduler)",
    samples.slice(20),
    "µs",
  );
}

await overhead();
await overheadOverSocket();
await fillerTiming();
await thousandCalls();
await thousandCallsOverSocket();
