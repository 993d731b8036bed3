// A traced session on the local Realtime server calls a tool of a real MCP server (stdio): the server receives the
// W3C trace context of the call's span in the request's _meta, so its own spans can join the session's trace.
import { fileURLToPath } from "node:url";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { closeAllAgents, loadAgent, type Session, startSession, Telemetry } from "@parley/core";
import { startLocalRealtime } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";

const agentFile = fileURLToPath(new URL("../test/fixtures/e2e/traced.agent.yaml", import.meta.url));

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function tracedSession(telemetry: Telemetry | undefined): Promise<Session> {
  const server = await startLocalRealtime({ port: 0, pace: 0 });
  cleanup.push(() => server.close());
  const agent = await loadAgent(agentFile);
  cleanup.push(() => closeAllAgents());
  const session = await startSession({
    agent,
    url: server.url,
    ...(telemetry ? { telemetry } : {}),
  });
  cleanup.push(() => session.close());
  return session;
}

/** What the MCP server said it received, once the call's output is in. */
function received(session: Session): Promise<{ callId: string; seen: Record<string, unknown> }> {
  return new Promise((resolve) => {
    session.on("tool.output", (e) => {
      if (e.tool === "trace_context") resolve({ callId: e.callId, seen: JSON.parse(e.output) });
    });
  });
}

describe("trace context into MCP requests", { timeout: 180_000 }, () => {
  it("gives the MCP server the traceparent of the tool call's span", async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    cleanup.push(() => tracerProvider.shutdown());
    const session = await tracedSession(new Telemetry({ tracerProvider }));
    const output = received(session);
    session.sendText("/call trace_context {}");
    const { callId, seen } = await output;
    await session.close();

    const span = exporter
      .getFinishedSpans()
      .find((s) => s.attributes["gen_ai.tool.call.id"] === callId);
    expect(span?.name).toBe("tools/call trace_context");
    const { traceId, spanId } = span?.spanContext() ?? {};
    expect(seen).toEqual({ traceparent: `00-${traceId}-${spanId}-01`, tracestate: null });
    // The span is in the session's trace.
    const root = exporter.getFinishedSpans().find((s) => s.name.startsWith("invoke_agent"));
    expect(root?.spanContext().traceId).toBe(traceId);
  });

  it("sends none when the session is not traced", async () => {
    const session = await tracedSession(undefined);
    const output = received(session);
    session.sendText("/call trace_context {}");
    expect((await output).seen).toEqual({ traceparent: null, tracestate: null });
  });
});
