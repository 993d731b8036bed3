// End to end: the agent file → startSession → a real WebSocket → the local Realtime server and its simulated model.
// Time that matters (fillers, timeouts, approval deadlines) runs on a VirtualClock handed to the session, so
// timings are exact; the socket and the server run in real time in between.
import { type LocalRealtime, scriptedModel, startLocalRealtime } from "@parley/local-realtime";
import { validateClientEvent } from "@parley/local-realtime/conformance";
import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import { afterEach, describe, expect, it } from "vitest";
import { codeApprover } from "../approval/approvers/code.ts";
import { VirtualClock } from "../clock/index.ts";
import { loadAgent } from "../load/index.ts";
import { startSession } from "../runtime/start-session.ts";
import { next } from "../runtime/test-support/harness.ts";
import type { ToolContext, ToolDefinition } from "../tool/index.ts";
import type { ToolSchedulerOptions } from "./tool-scheduler.ts";

const AGENT = new URL("../../test/fixtures/scheduler/concierge.agent.yaml", import.meta.url)
  .pathname;

interface Run {
  tool: string;
  args: Record<string, unknown>;
  ctx: ToolContext;
  resolve(value: unknown): void;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A session of the concierge agent on a local server, with every tool's handler held until the test releases it. */
async function open(
  options: {
    server?: Parameters<typeof startLocalRealtime>[0];
    scheduler?: Partial<ToolSchedulerOptions>;
  } = {},
) {
  const server: LocalRealtime = await startLocalRealtime({ port: 0, pace: 0, ...options.server });
  cleanup.push(() => server.close());
  const agent = await loadAgent(AGENT);
  const runs: Run[] = [];
  const tools: ToolDefinition[] = agent.tools.map((t) => ({
    ...t,
    run: (args: Record<string, unknown>, ctx: ToolContext) =>
      new Promise((resolve) => runs.push({ tool: t.name, args, ctx, resolve })),
  })) as ToolDefinition[];
  const clock = new VirtualClock();
  const sent: RealtimeClientEvent[] = [];
  const invalid: string[] = [];
  const session = await startSession({
    agent,
    url: server.url,
    clock,
    scheduler: { tools, ...options.scheduler },
    on: {
      "client.event": (e) => {
        sent.push(e);
        invalid.push(...validateClientEvent(e).map((p) => `${e.type}: ${p}`));
      },
    },
  });
  cleanup.push(() => session.close());
  const transcripts: { kind: string; text: string; at: number }[] = [];
  session.on("agent.transcript.done", (e) =>
    transcripts.push({ kind: e.kind, text: e.transcript, at: clock.now() }),
  );
  return { server, session, clock, runs, sent, invalid, transcripts };
}

/** Polls (real time) until `test` holds; the limit only keeps a broken test from hanging, even on a busy machine. */
async function until(test: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!test()) {
    if (Date.now() > end) throw new Error("condition not met within 30 s");
    await new Promise((r) => setTimeout(r, 2));
  }
}

const outputs = (sent: RealtimeClientEvent[]) =>
  sent.flatMap((e) =>
    e.type === "conversation.item.create" && e.item.type === "function_call_output" ? [e.item] : [],
  );
const creates = (sent: RealtimeClientEvent[], kind: string) =>
  sent.filter((e) => e.type === "response.create" && e.response?.metadata?.parley_kind === kind);

/** Sends a `/call` turn to the rules model and waits until the response that made the call is done. */
async function callTool(s: Awaited<ReturnType<typeof open>>, tool: string, args: unknown) {
  const done = next(s.session, "response.done");
  s.session.sendText(`/call ${tool} ${JSON.stringify(args)}`);
  await done;
}

describe("a slow tool over a real socket", () => {
  it("produces fillers at the configured times (1.5s, then every 1.5s) and none after a 5s result", async () => {
    const s = await open();
    const fillerAt: number[] = [];
    s.session.on("tool.filler", (e) => fillerAt.push(e.at));
    await callTool(s, "lookup_booking", { reference: "AB12" });
    await until(() => s.runs.length === 1);
    for (const [t, line] of [
      [1500, "One moment, I'm pulling up your booking."],
      [3000, "Still looking."],
      [4500, "One moment, I'm pulling up your booking."],
    ] as const) {
      const before = fillerAt.length;
      await s.clock.advance(t - 1 - s.clock.now());
      expect(fillerAt).toHaveLength(before); // nothing early
      const spoken = next(s.session, "agent.transcript.done", (e) => e.kind === "filler");
      const done = next(s.session, "response.done", (e) => e.kind === "filler");
      await s.clock.advance(1);
      expect(fillerAt.at(-1)).toBe(t);
      expect((await spoken).transcript).toBe(line);
      await done;
    }
    await s.clock.advance(5000 - s.clock.now());
    const answer = next(s.session, "agent.transcript.done", (e) => e.kind === "answer");
    s.runs[0]?.resolve({ reference: "AB12", status: "confirmed" });
    await s.clock.advance(25);
    expect((await answer).transcript).toContain("confirmed");
    await s.clock.advance(30_000);
    expect(fillerAt).toEqual([1500, 3000, 4500]);
    expect(creates(s.sent, "filler")).toHaveLength(3);
    expect(creates(s.sent, "filler")[0]).toMatchObject({
      response: { conversation: "none", metadata: { parley: "filler", tool: "lookup_booking" } },
    });
    expect(outputs(s.sent)).toHaveLength(1);
    expect(s.invalid).toEqual([]);
  });

  it("times out after the tool's 10s: the model hears a structured error and says so", async () => {
    const s = await open();
    await callTool(s, "search_flights", { to: "Lyon" });
    await until(() => s.runs.length === 1);
    const answer = next(s.session, "agent.transcript.done", (e) => e.kind === "answer");
    await s.clock.advance(9_999);
    expect(outputs(s.sent)).toHaveLength(0);
    await s.clock.advance(1 + 25);
    expect(JSON.parse(outputs(s.sent)[0]?.output ?? "{}")).toEqual({
      error: { code: "timeout", message: "search_flights did not finish within 10s" },
    });
    expect(s.runs[0]?.ctx.signal.aborted).toBe(true);
    expect((await answer).transcript.length).toBeGreaterThan(0);
    expect(s.invalid).toEqual([]);
  });

  it("times out each running call at its own tool's timeout, a shorter one started later first", async () => {
    // The run deadlines share one timer (call-deadlines.ts): a later call whose deadline comes first must move it.
    const s = await open();
    const timedOut = () =>
      outputs(s.sent).flatMap((o) => {
        const error = (JSON.parse(o.output) as { error?: { code: string; message: string } }).error;
        return error?.code === "timeout" ? [error.message] : [];
      });
    await callTool(s, "check_rooms", { date: "2026-12-24" }); // the default 30s, from now
    await until(() => s.runs.length === 1);
    const startedAt = s.clock.now();
    await s.clock.advance(2_000);
    await callTool(s, "search_flights", { to: "Lyon" }); // 10s, from 2s later: due first
    await until(() => s.runs.length === 2);
    await s.clock.advance(startedAt + 11_999 - s.clock.now());
    expect(timedOut()).toEqual([]);
    await s.clock.advance(1);
    expect(timedOut()).toEqual(["search_flights did not finish within 10s"]);
    await s.clock.advance(startedAt + 29_999 - s.clock.now());
    expect(timedOut()).toHaveLength(1);
    await s.clock.advance(1);
    expect(timedOut()).toEqual([
      "search_flights did not finish within 10s",
      "check_rooms did not finish within 30s",
    ]);
    expect(s.runs.map((r) => r.ctx.signal.aborted)).toEqual([true, true]);
    expect(s.invalid).toEqual([]);
  });

  it("is cancelled when the user interrupts (onInterrupt: cancel), with its one output", async () => {
    const s = await open();
    await callTool(s, "search_flights", { to: "Lyon" });
    await until(() => s.runs.length === 1);
    s.session.interrupt();
    expect(s.runs[0]?.ctx.signal.aborted).toBe(true);
    await s.clock.advance(25);
    await until(() => outputs(s.sent).length === 1);
    expect(JSON.parse(outputs(s.sent)[0]?.output ?? "{}")).toMatchObject({
      error: { code: "cancelled" },
    });
    s.runs[0]?.resolve("late");
    await s.clock.advance(20_000);
    expect(outputs(s.sent)).toHaveLength(1);
  });

  it("rejects a duplicate in flight, and never runs a call with invalid arguments", async () => {
    const s = await open();
    await callTool(s, "search_flights", { to: "Lyon" });
    await callTool(s, "search_flights", { to: "Lyon" });
    await callTool(s, "lookup_booking", { reference: "AB" });
    await s.clock.advance(25);
    await until(() => outputs(s.sent).length === 2);
    expect(s.runs.map((r) => r.tool)).toEqual(["search_flights"]);
    const [dup, invalid] = outputs(s.sent).map((o) => JSON.parse(o.output));
    expect(dup).toMatchObject({ error: { code: "duplicate_call" } });
    expect(invalid).toMatchObject({
      error: {
        code: "invalid_arguments",
        message: expect.stringContaining("reference must NOT have fewer than 4 characters"),
      },
    });
  });
});

describe("parallel calls", () => {
  it("two calls from one response, results landing together: both outputs, then one answer", async () => {
    const model = scriptedModel([
      { user: "check my booking and the rooms" },
      { call: { name: "lookup_booking", arguments: { reference: "AB12" } } },
      { call: { name: "check_rooms", arguments: { date: "2026-12-24" } } },
      { say: "Your booking is confirmed and rooms are free." },
    ]);
    const s = await open({ server: { model } });
    const callsDone = next(s.session, "response.done");
    s.session.sendText("check my booking and the rooms");
    await callsDone;
    await until(() => s.runs.length === 2);
    const answer = next(s.session, "agent.transcript.done", (e) => e.kind === "answer");
    s.runs[0]?.resolve({ status: "confirmed" });
    await s.clock.advance(10);
    s.runs[1]?.resolve({ free: 3 });
    await s.clock.advance(25);
    expect((await answer).transcript).toBe("Your booking is confirmed and rooms are free.");
    const order = s.sent
      .filter(
        (e) =>
          e.type === "response.create" ||
          (e.type === "conversation.item.create" && e.item.type === "function_call_output"),
      )
      .map((e) => e.type);
    expect(order.slice(-3)).toEqual([
      "conversation.item.create",
      "conversation.item.create",
      "response.create",
    ]);
    expect(creates(s.sent, "answer")).toHaveLength(2); // the user's turn, then the one answer for both results
    expect(s.invalid).toEqual([]);
  });
});

describe("approvals over a real socket", () => {
  it("a refund over 100 waits for the code approver; approve runs it, deny tells the model why", async () => {
    const decisions: boolean[] = [true, false];
    const s = await open({
      scheduler: {
        approvers: [
          codeApprover(() => ({
            approved: decisions.shift() ?? false,
            reason: "the manager said no",
          })),
        ],
      },
    });
    await callTool(s, "refund", { amount: 250 });
    await until(() => s.runs.length === 1);
    s.runs[0]?.resolve({ refunded: 250 });
    await s.clock.advance(25);
    await until(() => outputs(s.sent).length === 1);
    await callTool(s, "refund", { amount: 300 });
    await s.clock.advance(25);
    await until(() => outputs(s.sent).length === 2);
    expect(s.runs).toHaveLength(1);
    expect(JSON.parse(outputs(s.sent)[1]?.output ?? "{}")).toEqual({
      error: { code: "approval_denied", message: "refund was not approved: the manager said no" },
    });
    expect(s.invalid).toEqual([]);
  });

  it("an unanswered approval times out after 20s as rejected, and meanwhile the agent says it is waiting", async () => {
    const s = await open({
      scheduler: {
        approvers: [{ name: "code", ask: () => new Promise(() => {}) }],
        approvalFiller: { lines: ["I need a confirmation before I do that."] },
      },
    });
    await callTool(s, "refund", { amount: 500 });
    const filler = next(s.session, "agent.transcript.done", (e) => e.kind === "filler");
    await s.clock.advance(1500);
    expect((await filler).transcript).toBe("I need a confirmation before I do that.");
    await s.clock.advance(20_000 - s.clock.now() + 25);
    await until(() => outputs(s.sent).length === 1);
    expect(JSON.parse(outputs(s.sent)[0]?.output ?? "{}")).toMatchObject({
      error: { code: "approval_timeout" },
    });
    expect(s.runs).toHaveLength(0);
  });
});
