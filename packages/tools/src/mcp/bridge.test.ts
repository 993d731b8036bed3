import { fileURLToPath } from "node:url";
import { type AnyToolDefinition, instantiateToolPack } from "@parley/core";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startHttpMcpServer } from "../../test/mcp-test-server.ts";
import { testContext } from "../../test/tool-context.ts";
import { McpBridge } from "./bridge.ts";
import type { McpBridgeError } from "./errors.ts";
import mcpBridgePack, { closeAllMcpBridges } from "./index.ts";

const fixtures = fileURLToPath(new URL("../../test/fixtures/mcp", import.meta.url));
const stdio = {
  label: "test",
  command: process.execPath,
  args: ["--import", "tsx", "stdio-server.ts"],
  cwd: fixtures,
  // A tsx start takes seconds on a busy machine (the 10 s default failed there): wait for it, however long.
  connectTimeout: 60_000,
};

// Each start of the tsx MCP test server took up to 20 s on a loaded 2-core machine (tests that start it twice took 45 s):
// a safety net above that, not an expectation of speed.
vi.setConfig({ testTimeout: 120_000 });

const open: McpBridge[] = [];
function bridge(options: ConstructorParameters<typeof McpBridge>[0]) {
  const b = new McpBridge(options);
  open.push(b);
  return b;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

function byName(tools: AnyToolDefinition[], name: string): AnyToolDefinition {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${tools.map((t) => t.name)}`);
  return tool;
}

let http: Awaited<ReturnType<typeof startHttpMcpServer>>;
beforeAll(async () => {
  http = await startHttpMcpServer({ requireHeader: ["x-api-key", "let-me-in"] });
});
afterAll(() => http.close());

const transports = [
  ["stdio", () => stdio],
  [
    "streamable HTTP",
    () => ({ label: "test", url: http.url, headers: { "x-api-key": "let-me-in" } }),
  ],
] as const;

describe.each(transports)("a bridged MCP server over %s", (_name, options) => {
  it("exposes the server's tools as function tools with JSON Schema parameters and an mcp origin", async () => {
    const tools = await bridge(options()).connect();
    const add = byName(tools, "add");
    expect(add.description).toBe("Adds two numbers");
    expect(add.parameters).toMatchObject({
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
    });
    expect(add.parameters).not.toHaveProperty("$schema");
    expect(add.origin).toEqual({ kind: "mcp", file: "test" });
    expect(await add.run({ a: 2, b: 3 }, testContext().ctx)).toBe("5");
  });

  it("returns structured content when the tool gives it", async () => {
    const tools = await bridge(options()).connect();
    expect(await byName(tools, "lookup_order").run({ id: "A7" }, testContext().ctx)).toEqual({
      id: "A7",
      status: "shipped",
    });
  });

  it("sends the call's trace context in the request's _meta, beside the progress token", async () => {
    const tools = await bridge(options()).connect();
    const trace = {
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      tracestate: "parley=1",
    };
    expect(
      JSON.parse(String(await byName(tools, "trace_context").run({}, testContext({ trace }).ctx))),
    ).toEqual(trace);
    // Untraced calls carry none.
    expect(
      JSON.parse(String(await byName(tools, "trace_context").run({}, testContext().ctx))),
    ).toEqual({
      traceparent: null,
      tracestate: null,
    });
    // Progress (the SDK's own _meta key) still works with a trace context beside it.
    const { ctx, progress } = testContext({ trace });
    expect(await byName(tools, "count_slowly").run({ n: 3, stepMs: 100 }, ctx)).toBe(
      "done counting to 3",
    );
    // The SDK hands notifications to their handler a microtask late, so those read in the same chunk as the result
    // are dropped: 100 ms steps keep them apart, and the assertion asks for one, not all (a busy machine batches).
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(
      ["counted 1 of 3", "counted 2 of 3", "counted 3 of 3"].slice(0, progress.length),
    ).toEqual(progress);
  });

  it("over HTTP, also sends the trace context as traceparent / tracestate headers", async () => {
    const tools = await bridge(options()).connect();
    const run = async (ctx: ReturnType<typeof testContext>["ctx"]) =>
      JSON.parse(String(await byName(tools, "trace_headers").run({}, ctx)));
    const trace = {
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      tracestate: "parley=1",
    };
    const none = { traceparent: null, tracestate: null };
    const overHttp = "url" in options();
    expect(await run(testContext({ trace }).ctx)).toEqual(overHttp ? trace : none);
    // Without tracestate only traceparent goes out; untraced calls carry neither (no header left from before).
    const only = { traceparent: trace.traceparent };
    expect(await run(testContext({ trace: only }).ctx)).toEqual(
      overHttp ? { ...only, tracestate: null } : none,
    );
    expect(await run(testContext().ctx)).toEqual(none);
  });

  it("turns MCP progress notifications into ctx.progress", async () => {
    const tools = await bridge(options()).connect();
    const { ctx, progress } = testContext();
    expect(await byName(tools, "count_slowly").run({ n: 3, stepMs: 100 }, ctx)).toBe(
      "done counting to 3",
    );
    // The SDK may drop a notification that arrives with the result itself (it is moot by then): a prefix, in order.
    // The SDK hands notifications to their handler a microtask late, so those read in the same chunk as the result
    // are dropped: 100 ms steps keep them apart, and the assertion asks for one, not all (a busy machine batches).
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(
      ["counted 1 of 3", "counted 2 of 3", "counted 3 of 3"].slice(0, progress.length),
    ).toEqual(progress);
  });

  it("fails the call with the server's message when the tool throws, and keeps working", async () => {
    const tools = await bridge(options()).connect();
    await expect(byName(tools, "explode").run({}, testContext().ctx)).rejects.toMatchObject({
      code: "mcp_tool_error",
      message: expect.stringContaining("the warehouse database is down"),
    });
    expect(await byName(tools, "add").run({ a: 1, b: 1 }, testContext().ctx)).toBe("2");
  });

  it("cancels a running call through the AbortSignal", async () => {
    const tools = await bridge(options()).connect();
    const controller = new AbortController();
    const running = byName(tools, "wait").run(
      { ms: 10_000 },
      testContext({ signal: controller.signal }).ctx,
    );
    setTimeout(() => controller.abort(new Error("user interrupted")), 30);
    await expect(running).rejects.toThrow("user interrupted");
    expect(await byName(tools, "add").run({ a: 1, b: 2 }, testContext().ctx)).toBe("3");
  });

  it("refreshes its tools when the server's list changes, and reports what changed", async () => {
    const b = bridge(options());
    const tools = await b.connect();
    const changes: { added: string[]; removed: string[] }[] = [];
    const changed = new Promise<void>((resolve) =>
      b.onToolsChanged((_tools, change) => {
        changes.push(change);
        if (changes.length === 2) resolve();
      }),
    );
    await byName(tools, "toggle_extra").run({}, testContext().ctx);
    await expect.poll(() => b.tools.map((t) => t.name)).toContain("extra");
    expect(await byName(b.tools, "extra").run({}, testContext().ctx)).toBe("extra!");
    await byName(b.tools, "toggle_extra").run({}, testContext().ctx);
    await changed;
    expect(changes).toEqual([
      { added: ["extra"], removed: [] },
      { added: [], removed: ["extra"] },
    ]);
  });
});

describe("allowlists, overrides and approval", () => {
  it("keeps only allowed tools, applies per-tool overrides and a prefix", async () => {
    const tools = await bridge({
      ...stdio,
      prefix: "t_",
      allowedTools: ["add", "lookup_order"],
      tools: {
        lookup_order: {
          timeout: "5s",
          filler: { lines: ["Looking it up."] },
          description: "Find an order by id",
        },
      },
    }).connect();
    expect(tools.map((t) => t.name)).toEqual(["t_add", "t_lookup_order"]);
    const lookup = byName(tools, "t_lookup_order");
    expect(lookup).toMatchObject({
      timeout: 5000,
      filler: { lines: ["Looking it up."] },
      description: "Find an order by id",
    });
    expect(await byName(tools, "t_add").run({ a: 4, b: 4 }, testContext().ctx)).toBe("8");
  });

  it("needs approval for destructive tools, not for read-only ones, unless the agent file says otherwise", async () => {
    const tools = await bridge(stdio).connect();
    expect(byName(tools, "delete_everything").approval).toBe("always");
    expect(byName(tools, "add").approval).toBe("never");
    expect(byName(tools, "lookup_order").approval).toBeUndefined();
    const strict = await bridge({
      ...stdio,
      approval: { always: ["add"], never: ["delete_everything"] },
    }).connect();
    expect(byName(strict, "add").approval).toBe("always");
    expect(byName(strict, "delete_everything").approval).toBe("never");
  });
});

describe("servers that are not there", () => {
  it("reports a command that does not exist as unreachable", async () => {
    await expect(
      bridge({ label: "ghost", command: "no-such-mcp-server-binary" }).connect(),
    ).rejects.toMatchObject({
      code: "mcp_unreachable",
      message: expect.stringContaining('MCP server "ghost"'),
    });
  });

  it("includes what a crashing server printed", async () => {
    await expect(
      bridge({ ...stdio, args: [...stdio.args, "--crash-on-start"] }).connect(),
    ).rejects.toMatchObject({
      code: "mcp_unreachable",
      message: expect.stringContaining("config file missing"),
    });
  });

  it("reports an HTTP server that refuses connections, or the credentials", async () => {
    const gone = await startHttpMcpServer();
    await gone.close();
    await expect(
      bridge({ label: "gone", url: gone.url, connectTimeout: 2000 }).connect(),
    ).rejects.toMatchObject({ code: "mcp_unreachable" });
    await expect(bridge({ label: "locked", url: http.url }).connect()).rejects.toMatchObject({
      code: "mcp_unreachable",
    });
  });

  it("as a pack: warns instead of failing, then announces the tools once the server is up", async () => {
    const probe = await startHttpMcpServer();
    const url = probe.url;
    await probe.close();
    const warnings: string[] = [];
    const closers: (() => unknown)[] = [];
    let announce: (tools: AnyToolDefinition[]) => void = () => {};
    const announced = new Promise<AnyToolDefinition[]>((resolve) => {
      announce = resolve;
    });
    const tools = await instantiateToolPack(
      mcpBridgePack,
      { label: "late", url, retryEvery: "50ms", connectTimeout: "1s" },
      {
        baseDir: fixtures,
        warn: (m) => warnings.push(m),
        onClose: (fn) => void closers.push(fn),
        onToolsChanged: (t) => announce(t),
      },
    );
    expect(tools).toEqual([]);
    expect(warnings[0]).toMatch(/^MCP server "late": cannot connect \(http: .*\).*retrying\)$/);
    const server = await startHttpMcpServer({ port: Number(new URL(url).port) });
    try {
      const later = await announced;
      expect(later.map((t) => t.name)).toContain("add");
      expect(later.every((t) => t.origin?.kind === "mcp")).toBe(true);
    } finally {
      await Promise.all(closers.map((c) => c()));
      await server.close();
    }
  });

  it("as a pack with required: true, fails loading", async () => {
    await expect(
      instantiateToolPack(
        mcpBridgePack,
        { label: "ghost", command: "no-such-mcp-server-binary", required: true },
        { baseDir: fixtures },
      ),
    ).rejects.toMatchObject({ code: "mcp_unreachable" });
  });

  it("reports a dropped stdio connection and re-opens it on the next call", async () => {
    const b = bridge(stdio);
    const problems: McpBridgeError[] = [];
    b.onProblem((p) => problems.push(p));
    const tools = await b.connect();
    const pid = Number(await byName(tools, "pid").run({}, testContext().ctx));
    process.kill(pid, "SIGKILL");
    await expect.poll(() => problems.map((p) => p.code)).toEqual(["mcp_disconnected"]);
    expect(b.connected).toBe(false);
    expect(await byName(tools, "add").run({ a: 20, b: 22 }, testContext().ctx)).toBe("42");
    expect(Number(await byName(b.tools, "pid").run({}, testContext().ctx))).not.toBe(pid);
  });

  it("re-opens after close() when a tool it made is called again", async () => {
    const b = bridge(stdio);
    const tools = await b.connect();
    await b.close();
    expect(b.connected).toBe(false);
    expect(await byName(tools, "add").run({ a: 1, b: 1 }, testContext().ctx)).toBe("2");
    expect(b.connected).toBe(true);
  });
});

describe("a server that connects but cannot list its tools", () => {
  it("is a warning, and background retries bring the tools once listing works", async () => {
    const flaky = await startHttpMcpServer({ failToolsList: 1 });
    try {
      const warnings: string[] = [];
      const changes: AnyToolDefinition[][] = [];
      const closers: (() => void | Promise<void>)[] = [];
      const tools = await instantiateToolPack(
        mcpBridgePack,
        { label: "flaky", url: flaky.url, retryEvery: "20ms" },
        {
          baseDir: fixtures,
          warn: (message) => warnings.push(message),
          onToolsChanged: (next) => changes.push(next),
          onClose: (close) => closers.push(close),
        },
      );
      expect(tools).toEqual([]);
      expect(warnings.join("\n")).toMatch(/could not list tools: .*rebuilding/);
      await expect.poll(() => changes.length).toBeGreaterThan(0);
      expect(changes.at(-1)?.map((t) => t.name)).toContain("add");
      await Promise.all(closers.map((close) => close()));
    } finally {
      await flaky.close();
    }
  });
});

describe("closeAllMcpBridges", () => {
  it("ends the server processes of bridges opened by the pack without an onClose hook", async () => {
    const tools = await instantiateToolPack(mcpBridgePack, stdio, { baseDir: fixtures });
    const pid = Number(await byName(tools, "pid").run({}, testContext().ctx));
    expect(() => process.kill(pid, 0)).not.toThrow();
    await closeAllMcpBridges();
    await expect.poll(() => alive(pid)).toBe(false);
  });

  it("leaves a bridge with an owner to it: closeAllMcpBridges spares it, the owner's onClose hook ends it", async () => {
    const closers: (() => void | Promise<void>)[] = [];
    const tools = await instantiateToolPack(mcpBridgePack, stdio, {
      baseDir: fixtures,
      onClose: (close) => closers.push(close),
    });
    const pid = Number(await byName(tools, "pid").run({}, testContext().ctx));
    await closeAllMcpBridges();
    expect(alive(pid)).toBe(true);
    await Promise.all(closers.map((close) => close()));
    await expect.poll(() => alive(pid)).toBe(false);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
