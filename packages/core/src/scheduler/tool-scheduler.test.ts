import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool, type ToolContext } from "../tool/index.ts";
import { RecordingHost } from "./test-support/recording-host.ts";
import { ToolScheduler, type ToolSchedulerOptions } from "./tool-scheduler.ts";

function fnCall(callId: string, name: string, args: unknown) {
  return {
    type: "function_call" as const,
    call_id: callId,
    name,
    arguments: typeof args === "string" ? args : JSON.stringify(args),
  };
}

/** A tool whose calls end when the test says so. */
function controlledTool(name: string, extra: Partial<Parameters<typeof defineTool>[0]> = {}) {
  const runs: {
    args: unknown;
    ctx: ToolContext;
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const tool = defineTool({
    name,
    description: `the ${name} tool`,
    parameters: z.object({ q: z.string() }),
    run: (args, ctx) => new Promise((resolve, reject) => runs.push({ args, ctx, resolve, reject })),
    ...extra,
  });
  return { tool, runs };
}

function setup(
  options: Omit<ToolSchedulerOptions, "tools"> & { tools: ToolSchedulerOptions["tools"] },
  responseMs = 1000,
) {
  const host = new RecordingHost({ responseMs });
  const scheduler = new ToolScheduler(host, options);
  return { host, scheduler };
}

describe("a call's one contract", () => {
  it("runs the handler with validated, typed arguments and sends exactly one output then one answer", async () => {
    const seen: unknown[] = [];
    const tool = defineTool({
      name: "add",
      description: "adds",
      parameters: z.object({ a: z.number(), b: z.number().default(10) }),
      run: ({ a, b }, ctx) => {
        seen.push({ a, b, callId: ctx.callId, vars: ctx.variables, sip: ctx.session?.callId });
        return { sum: a + b };
      },
    });
    const { host, scheduler } = setup({ tools: [tool] });
    host.variables = { user: "ada" };
    host.session = { callId: "rtc_1", end() {} };
    scheduler.onFunctionCall(fnCall("c1", "add", { a: 2 }));
    await host.clock.advance(0);
    expect(seen).toEqual([{ a: 2, b: 10, callId: "c1", vars: { user: "ada" }, sip: "rtc_1" }]);
    expect(host.outputOf("c1")).toEqual({ sum: 12 });
    await host.clock.advance(25);
    expect(host.answersStarted()).toHaveLength(1);
    expect(
      host.events
        .filter((e) => e.type === "tool.state")
        .map((e) => e.type === "tool.state" && e.to),
    ).toEqual(["running", "completed"]);
  });

  it("handles a call delivered twice (output_item.done, then response.done) once", async () => {
    const { tool, runs } = controlledTool("slow");
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("c1", "slow", { q: "x" }));
    scheduler.onFunctionCall(fnCall("c1", "slow", { q: "x" }));
    expect(runs).toHaveLength(1);
    runs[0]?.resolve("ok");
    await host.clock.advance(0);
    expect(host.outputs()).toHaveLength(1);
  });

  it("fails an unknown tool with a structured output naming the tools that exist", async () => {
    const { tool, runs } = controlledTool("lookup");
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("c1", "lokup", { q: "x" }));
    await host.clock.advance(0);
    expect(runs).toHaveLength(0);
    expect(host.outputOf("c1")).toEqual({
      error: {
        code: "unknown_tool",
        message: 'there is no tool named "lokup" (available: lookup)',
      },
    });
    await host.clock.advance(25);
    expect(host.answersStarted()).toHaveLength(1);
  });

  it("never runs a handler with invalid arguments", async () => {
    const { tool, runs } = controlledTool("lookup");
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("c1", "lookup", { q: 3 }));
    scheduler.onFunctionCall(fnCall("c2", "lookup", "{not json"));
    scheduler.onFunctionCall(fnCall("c3", "lookup", {}));
    expect(runs).toHaveLength(0);
    expect(host.outputOf("c1")).toMatchObject({
      error: { code: "invalid_arguments", message: expect.stringContaining("q") },
    });
    expect(host.outputOf("c2")).toMatchObject({
      error: { code: "invalid_arguments", message: "lookup: arguments are not valid JSON" },
    });
    expect(host.outputOf("c3")).toMatchObject({
      error: {
        code: "invalid_arguments",
        message: expect.stringContaining("required property 'q'"),
      },
    });
  });

  it("validates JSON Schema parameters as well as zod ones", async () => {
    const tool = defineTool({
      name: "book",
      description: "books",
      parameters: {
        type: "object",
        properties: { nights: { type: "integer", minimum: 1 } },
        required: ["nights"],
        additionalProperties: false,
      },
      run: (args) => args,
    });
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("ok", "book", { nights: 2 }));
    scheduler.onFunctionCall(fnCall("bad", "book", { nights: 0, extra: true }));
    await host.clock.advance(0);
    expect(host.outputOf("ok")).toEqual({ nights: 2 });
    expect(host.outputOf("bad")).toMatchObject({ error: { code: "invalid_arguments" } });
    expect(JSON.stringify(host.outputOf("bad"))).toContain("nights must be >= 1");
    expect(JSON.stringify(host.outputOf("bad"))).toContain("extra");
  });

  it("turns a thrown error into a failed output, with secrets redacted", async () => {
    const tool = defineTool({
      name: "charge",
      description: "charges",
      parameters: z.object({}),
      run: async () => {
        throw new Error("upstream said 401 for key sk-abcdefghijklmnop");
      },
    });
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("c1", "charge", {}));
    await host.clock.advance(0);
    expect(host.outputOf("c1")).toEqual({
      error: { code: "tool_error", message: "charge failed: upstream said 401 for key [redacted]" },
    });
  });
});

describe("timeouts", () => {
  it("times a call out after 30s by default, aborts its signal and ignores the late result", async () => {
    const { tool, runs } = controlledTool("slow", { filler: false });
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("c1", "slow", { q: "x" }));
    await host.clock.advance(29_999);
    expect(host.outputs()).toHaveLength(0);
    await host.clock.advance(1);
    expect(host.outputOf("c1")).toEqual({
      error: { code: "timeout", message: "slow did not finish within 30s" },
    });
    expect(runs[0]?.ctx.signal.aborted).toBe(true);
    runs[0]?.resolve("too late");
    await host.clock.advance(10);
    expect(host.outputs()).toHaveLength(1);
  });

  it("aborts a signal the handler took at the start, with the timeout as its reason", async () => {
    const { tool, runs } = controlledTool("slow", { timeout: "1s", filler: false });
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("c1", "slow", { q: "x" }));
    await host.clock.advance(0);
    const signal = runs[0]?.ctx.signal as AbortSignal;
    const heard: unknown[] = [];
    signal.addEventListener("abort", () => heard.push(signal.reason));
    expect(signal.aborted).toBe(false);
    await host.clock.advance(1000);
    expect(heard).toHaveLength(1);
    expect((heard[0] as { code?: string }).code).toBe("call_timeout");
    // The same signal every time it is asked for.
    expect(runs[0]?.ctx.signal).toBe(signal);
  });

  it("honours a per-tool timeout written as a duration", async () => {
    const { tool } = controlledTool("slow", { timeout: "2.5s", filler: false });
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("c1", "slow", { q: "x" }));
    await host.clock.advance(2500);
    expect(host.outputOf("c1")).toMatchObject({
      error: { code: "timeout", message: "slow did not finish within 2.5s" },
    });
  });
});

describe("concurrency", () => {
  it("queues calls beyond a tool's limit and starts them in order as slots free", async () => {
    const { tool, runs } = controlledTool("one", { concurrency: 1, filler: false });
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("a", "one", { q: "1" }));
    scheduler.onFunctionCall(fnCall("b", "one", { q: "2" }));
    scheduler.onFunctionCall(fnCall("c", "one", { q: "3" }));
    expect(runs.map((r) => r.args)).toEqual([{ q: "1" }]);
    expect(scheduler.stateOf("b")).toBe("queued");
    runs[0]?.resolve(1);
    await host.clock.advance(0);
    expect(runs.map((r) => r.args)).toEqual([{ q: "1" }, { q: "2" }]);
    runs[1]?.resolve(2);
    await host.clock.advance(0);
    runs[2]?.resolve(3);
    await host.clock.advance(0);
    expect(host.outputs().map((o) => o.callId)).toEqual(["a", "b", "c"]);
  });

  it("limits calls across tools with maxConcurrentCalls, and the timeout counts from the start of the run", async () => {
    const a = controlledTool("a", { filler: false, timeout: 1000 });
    const b = controlledTool("b", { filler: false, timeout: 1000 });
    const { host, scheduler } = setup({ tools: [a.tool, b.tool], maxConcurrentCalls: 1 });
    scheduler.onFunctionCall(fnCall("1", "a", { q: "x" }));
    scheduler.onFunctionCall(fnCall("2", "b", { q: "y" }));
    expect(b.runs).toHaveLength(0);
    await host.clock.advance(1000);
    expect(host.outputOf("1")).toMatchObject({ error: { code: "timeout" } });
    expect(b.runs).toHaveLength(1);
    await host.clock.advance(999);
    expect(scheduler.stateOf("2")).toBe("running");
  });
});

describe("many queued calls", () => {
  it("thousands of instant calls waiting behind one slot all finish, in order, without exhausting the stack", async () => {
    const { tool: held, runs } = controlledTool("held", { filler: false });
    const instant = defineTool({
      name: "instant",
      description: "",
      parameters: z.object({ i: z.number() }),
      filler: false,
      run: ({ i }) => i,
    });
    const { host, scheduler } = setup({ tools: [held, instant], maxConcurrentCalls: 1 });
    scheduler.onFunctionCall(fnCall("first", "held", { q: "x" }));
    for (let i = 0; i < 5000; i++) scheduler.onFunctionCall(fnCall(`c${i}`, "instant", { i }));
    expect(scheduler.activeCalls).toBe(5001);
    runs[0]?.resolve("done");
    await host.clock.advance(100);
    const ids = host.outputs().map((o) => o.callId);
    expect(ids).toHaveLength(5001);
    expect(ids.slice(0, 3)).toEqual(["first", "c0", "c1"]);
    expect(ids.at(-1)).toBe("c4999");
    expect(host.answersStarted()).toHaveLength(1);
  });
});

describe("duplicates", () => {
  it("allow: both identical calls run", () => {
    const { tool, runs } = controlledTool("t");
    const { scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("1", "t", { q: "x" }));
    scheduler.onFunctionCall(fnCall("2", "t", { q: "x" }));
    expect(runs).toHaveLength(2);
  });

  it("reject: a second identical call in flight is rejected, a different one runs", async () => {
    const { tool, runs } = controlledTool("t", { duplicate: "reject" });
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("1", "t", { q: "x" }));
    scheduler.onFunctionCall(fnCall("2", "t", { q: "x" }));
    scheduler.onFunctionCall(fnCall("3", "t", { q: "y" }));
    expect(runs).toHaveLength(2);
    expect(host.outputOf("2")).toMatchObject({ error: { code: "duplicate_call" } });
    runs[0]?.resolve("done");
    await host.clock.advance(0);
    scheduler.onFunctionCall(fnCall("4", "t", { q: "x" }));
    expect(runs).toHaveLength(3);
  });

  it("replace: the older identical call is cancelled (aborted, with its own output) and the newer runs", async () => {
    const { tool, runs } = controlledTool("t", { duplicate: "replace" });
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("1", "t", { q: "x" }));
    scheduler.onFunctionCall(fnCall("2", "t", { q: "x" }));
    expect(runs).toHaveLength(2);
    expect(runs[0]?.ctx.signal.aborted).toBe(true);
    expect(host.outputOf("1")).toMatchObject({ error: { code: "replaced" } });
    runs[1]?.resolve("fresh");
    runs[0]?.resolve("stale");
    await host.clock.advance(0);
    expect(host.outputOf("2")).toBe("fresh");
    expect(host.outputs()).toHaveLength(2);
  });
});

describe("interruptions", () => {
  it("cancel: a running call is aborted and answered as cancelled; continue: it keeps running", async () => {
    const cancel = controlledTool("search", { onInterrupt: "cancel", filler: false });
    const keep = controlledTool("book", { filler: false });
    const { host, scheduler } = setup({ tools: [cancel.tool, keep.tool] });
    scheduler.onFunctionCall(fnCall("s", "search", { q: "x" }));
    scheduler.onFunctionCall(fnCall("b", "book", { q: "y" }));
    scheduler.onInterrupt();
    expect(cancel.runs[0]?.ctx.signal.aborted).toBe(true);
    expect(host.outputOf("s")).toMatchObject({ error: { code: "cancelled" } });
    expect(scheduler.stateOf("b")).toBe("running");
    keep.runs[0]?.resolve("booked");
    await host.clock.advance(0);
    expect(host.outputOf("b")).toBe("booked");
  });
});

describe("cancelling from the application", () => {
  it("ends an open call with a cancelled output (its handler aborted) and reports the wall time", async () => {
    const { tool, runs } = controlledTool("t", { filler: false });
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("1", "t", { q: "x" }));
    await host.clock.advance(700);
    expect(scheduler.cancel("1", "the user pressed stop")).toBe(true);
    expect(scheduler.cancel("1")).toBe(false);
    expect(scheduler.cancel("nope")).toBe(false);
    expect(runs[0]?.ctx.signal.aborted).toBe(true);
    expect(host.outputOf("1")).toEqual({
      error: { code: "cancelled", message: "t was cancelled: the user pressed stop" },
    });
    expect(host.events.find((e) => e.type === "tool.output")).toMatchObject({
      state: "cancelled",
      ms: 700,
      at: 700,
    });
  });
});

describe("closing", () => {
  it("ends every open call with a session_closed output and asks for no response", async () => {
    const { tool, runs } = controlledTool("t");
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(fnCall("1", "t", { q: "x" }));
    await scheduler.close();
    expect(runs[0]?.ctx.signal.aborted).toBe(true);
    expect(host.outputOf("1")).toMatchObject({ error: { code: "session_closed" } });
    expect(host.answersStarted()).toHaveLength(0);
    scheduler.onFunctionCall(fnCall("2", "t", { q: "x" }));
    expect(runs).toHaveLength(1);
    expect(host.outputOf("2")).toMatchObject({ error: { code: "session_closed" } });
  });
});
