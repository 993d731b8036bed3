import type { AddressInfo } from "node:net";
import { acceptInMemory } from "@parley/local-realtime";
import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { loadAgent } from "../load/index.ts";
import type { Session } from "../runtime/session.ts";
import { startSession } from "../runtime/start-session.ts";
import { fixture, next, open, startServer } from "../runtime/test-support/harness.ts";
import { memoryTransportPair } from "../testing/index.ts";
import type { TransportClose } from "./transport.ts";
import { wsTransport } from "./ws-transport.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function inMemory(agentFile: string, faults = {}) {
  const { client, server } = memoryTransportPair();
  const peer = acceptInMemory(server, { pace: 0, faults });
  cleanup.push(() => peer.close());
  const sent: RealtimeClientEvent[] = [];
  const session = await startSession({
    agent: await loadAgent(fixture(agentFile)),
    transport: client,
    // The first session.update of a process compiles the local server's spec validators (seconds on a busy machine).
    timeoutMs: 15_000,
    on: { "client.event": (e) => void sent.push(e) },
  });
  cleanup.push(() => session.close());
  return { session, sent, server };
}

/** A tool call conversation: what the client sent, as types, and what it heard. */
async function toolTurn(session: Session) {
  const answer = next(
    session,
    "agent.transcript.done",
    (e) => e.kind === "answer" && e.transcript.includes("confirmed"),
  );
  session.sendText('/call lookup {"reference":"AB12"}');
  return (await answer).transcript;
}

describe("the in-memory transport", () => {
  it("carries the same conversation as a real socket to the local server", async () => {
    const memory = await inMemory("booking.agent.yaml");
    const memoryAnswer = await toolTurn(memory.session);

    const server = await startServer();
    cleanup.push(() => server.close());
    const real = await open(server, "booking.agent.yaml");
    cleanup.push(() => real.session.close());
    const realAnswer = await toolTurn(real.session);

    expect(memoryAnswer).toBe(realAnswer);
    const types = (events: RealtimeClientEvent[]) =>
      events.map((e) => (e.type === "conversation.item.create" ? `item:${e.item.type}` : e.type));
    expect(types(memory.sent)).toEqual(types(real.sent));
    expect(types(memory.sent)).toContain("item:function_call_output");
  });

  it("reports a close from the server side as a drop, with its code and reason", async () => {
    const { session, server } = await inMemory("assistant.agent.yaml");
    const closed = next(session, "closed");
    server.close(4001, "going away");
    const c = await closed;
    expect(c).toMatchObject({ reason: "socket_closed", code: 4001 });
    expect(c.detail).toBe("the connection closed (code 4001: going away)");
    expect(session.open).toBe(false);
  });

  it("tells the server when the session closes it, and that is not a drop", async () => {
    const { session, server } = await inMemory("assistant.agent.yaml");
    const heard = new Promise<number>((resolve) => server.once("close", resolve as never));
    const closed = next(session, "closed");
    await session.close();
    expect(await heard).toBe(1000);
    expect((await closed).reason).toBe("closed");
  });

  it("is built by a factory for the first connection attempt", async () => {
    const attempts: number[] = [];
    const { client, server } = memoryTransportPair();
    const peer = acceptInMemory(server, { pace: 0 });
    cleanup.push(() => peer.close());
    const session = await startSession({
      session: { type: "session.update", session: { type: "realtime" } },
      transport: ({ attempt }) => {
        attempts.push(attempt);
        return client;
      },
    });
    cleanup.push(() => session.close());
    expect(attempts).toEqual([1]);
    expect(session.open).toBe(true);
  });
});

describe("the ws transport", () => {
  async function wsServer() {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((r) => wss.once("listening", r));
    cleanup.push(() => new Promise<void>((r) => wss.close(() => r())));
    const { port } = wss.address() as AddressInfo;
    return { wss, url: `ws://127.0.0.1:${port}/v1/realtime` };
  }

  function closes(transport: ReturnType<typeof wsTransport>) {
    const events: string[] = [];
    const closed = new Promise<TransportClose>((resolve) =>
      transport.listen({ event: (e) => void events.push(e.type), closed: resolve }),
    );
    return { events, closed };
  }

  it("delivers events sent before anyone listened, then reports an abrupt end as a drop (1006)", async () => {
    const { wss, url } = await wsServer();
    wss.on("connection", (ws) => {
      ws.send(JSON.stringify({ type: "session.created", event_id: "e1", session: {} }));
      ws.on("message", () => ws.terminate());
    });
    const transport = wsTransport({ url });
    await transport.opened(3_000);
    await new Promise((r) => setTimeout(r, 0)); // let nothing be special about when listen comes
    const { events, closed } = closes(transport);
    transport.send({ type: "input_audio_buffer.clear" });
    const c = await closed;
    expect(events).toEqual(["session.created"]);
    expect(c).toMatchObject({ code: 1006, dropped: true });
    expect(transport.isOpen).toBe(false);
  });

  it("closes with our reason and does not call that a drop", async () => {
    const { wss, url } = await wsServer();
    const reason = new Promise<string>((resolve) =>
      wss.on("connection", (ws) => ws.on("close", (_code, r) => resolve(String(r)))),
    );
    const transport = wsTransport({ url });
    const { closed } = closes(transport);
    await transport.opened(3_000);
    await transport.close("done here");
    expect(await reason).toBe("done here");
    expect(await closed).toMatchObject({ code: 1000, dropped: false });
  });

  it("fails to open with connect_failed and the HTTP status when the server refuses", async () => {
    const { wss, url } = await wsServer();
    wss.options.verifyClient = () => false;
    const transport = wsTransport({ url });
    await expect(transport.opened(3_000)).rejects.toMatchObject({
      code: "connect_failed",
      message: "the server refused the connection: HTTP 401 (check the API key)",
    });
  });

  it("fails to open with the socket's error when nothing answers", async () => {
    const { wss, url } = await wsServer();
    await new Promise<void>((r) => wss.close(() => r()));
    const transport = wsTransport({ url });
    await expect(transport.opened(3_000)).rejects.toMatchObject({
      code: "connect_failed",
      message: expect.stringMatching(/^could not connect: connect ECONNREFUSED/),
    });
    // Asked again once closed, it says so at once rather than waiting out its timeout.
    await expect(transport.opened(60_000)).rejects.toMatchObject({ code: "connect_failed" });
  });
});
