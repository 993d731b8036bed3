// Server-side MCP calls (the Realtime API runs the tool itself) traced under the response that runs them: the
// response's span is then opened before the response ends, and must still come out once, with everything it learnt.
import { SpanStatusCode } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { startLocalRealtime } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";
// The local server's own test MCP server: a real McpServer (streamable HTTP) with check_stock and explode.
import { startMcpServer } from "../../../local-realtime/test/mcp-server.ts";
import { codeApprover } from "../approval/approvers/code.ts";
import { loadAgent } from "../load/index.ts";
import { startSession } from "../runtime/start-session.ts";
import { next } from "../runtime/test-support/harness.ts";
import { Telemetry } from "./telemetry.ts";

const AGENT = new URL("../../test/fixtures/scheduler/mcp.agent.yaml", import.meta.url).pathname;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe("server-side MCP call spans", () => {
  it("go under their response's span, which is exported once with its tokens and status", async () => {
    const mcp = await startMcpServer();
    cleanup.push(() => mcp.close());
    const server = await startLocalRealtime({ port: 0, pace: 0 });
    cleanup.push(() => server.close());
    process.env.PARLEY_TEST_MCP_URL = mcp.url;
    cleanup.push(async () => {
      delete process.env.PARLEY_TEST_MCP_URL;
    });
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const session = await startSession({
      agent: await loadAgent(AGENT),
      url: server.url,
      telemetry: new Telemetry({ tracerProvider }),
      // explode needs a decision (no rule for it): approved, so the server calls it and it fails.
      scheduler: { approvers: [codeApprover(() => ({ approved: true }))] },
    });
    cleanup.push(() => session.close());

    for (const call of ['/call check_stock {"item":"umbrella"}', "/call explode {}"]) {
      const mcpDone = next(session, "mcp.call", (e) => e.state === "done");
      const idle = next(session, "idle", () => !session.busy);
      session.sendText(call);
      await mcpDone;
      await idle;
    }
    await session.close();

    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan | undefined) => byId.get(s?.parentSpanContext?.spanId ?? "");
    const [stock] = spans.filter((s) => s.name === "tools/call check_stock");
    const [explode] = spans.filter((s) => s.name === "tools/call explode");
    expect(stock?.attributes).toMatchObject({
      "mcp.method.name": "tools/call",
      "gen_ai.tool.name": "check_stock",
      "parley.mcp.server": "inventory",
      "parley.mcp.side": "server",
      "parley.tool.outcome": "completed",
    });
    expect(explode?.status.code).toBe(SpanStatusCode.ERROR);
    expect(explode?.attributes["parley.tool.outcome"]).toBe("failed");

    for (const call of [stock, explode]) {
      const response = parentOf(call);
      expect(response?.name).toBe("chat gpt-realtime");
      expect(response?.attributes).toMatchObject({
        "gen_ai.operation.name": "chat",
        "gen_ai.response.finish_reasons": ["completed"],
      });
      // What it learnt after it was opened (the call's answer is spoken in the same response).
      expect(response?.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
      expect(response?.attributes["parley.response.first_output_ms"]).toBeGreaterThanOrEqual(0);
      // Its call ran inside it.
      expect(toMs(call?.startTime)).toBeGreaterThanOrEqual(toMs(response?.startTime));
      expect(toMs(call?.endTime)).toBeLessThanOrEqual(toMs(response?.endTime));
    }
    // Each response has one span, opened early or not.
    const ids = spans
      .filter((s) => s.name.startsWith("chat "))
      .map((s) => s.attributes["gen_ai.response.id"]);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

function toMs(time: [number, number] | undefined): number {
  return time ? time[0] * 1000 + time[1] / 1e6 : Number.NaN;
}
