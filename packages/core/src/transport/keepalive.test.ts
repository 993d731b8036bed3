import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { VirtualClock } from "../clock/index.ts";
import type { TransportClose } from "./transport.ts";
import { wsTransport } from "./ws-transport.ts";

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A server that answers pings (or, with autoPong false, is a dead peer that never does). */
async function peer(
  autoPong: boolean,
): Promise<{ url: string; pings: () => number; say: () => void }> {
  let pings = 0;
  const server = new WebSocketServer({ port: 0, host: "127.0.0.1", autoPong });
  servers.push(server);
  server.on("connection", (ws) => ws.on("ping", () => pings++));
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pings: () => pings,
    say: () => {
      for (const c of server.clients) c.send(JSON.stringify({ type: "rate_limits.updated" }));
    },
  };
}

async function connect(url: string, clock: VirtualClock) {
  const socket = new WebSocket(url);
  const transport = wsTransport({
    socket,
    clock,
    keepalive: { intervalMs: 15_000, timeoutMs: 10_000 },
  });
  let closed: (c: TransportClose) => void = () => {};
  const close = new Promise<TransportClose>((resolve) => {
    closed = resolve;
  });
  transport.listen({ event: () => {}, closed: (c) => closed(c) });
  await transport.opened(5_000);
  return { socket, transport, close };
}

describe("the ws transport's keepalive", () => {
  it("finds a dead peer within interval + timeout and reports it as a drop", async () => {
    const clock = new VirtualClock();
    const server = await peer(false);
    const { transport, close } = await connect(server.url, clock);
    await clock.advance(15_000);
    await expect.poll(server.pings).toBe(1);
    expect(transport.isOpen).toBe(true);
    await clock.advance(10_000);
    const c = await close;
    expect(c).toMatchObject({ dropped: true, code: 1006 });
    expect(c.detail).toContain("no answer to a keepalive ping within 10000 ms");
  });

  it("keeps a live peer: its pong re-arms the timer, and nothing is dropped", async () => {
    const clock = new VirtualClock();
    const server = await peer(true);
    const { socket, transport } = await connect(server.url, clock);
    for (let i = 1; i <= 3; i++) {
      const pong = new Promise((resolve) => socket.once("pong", resolve));
      await clock.advance(15_000); // 15 s after the last sign of life: a ping
      await pong;
      expect(server.pings()).toBe(i);
    }
    // The pong re-armed the silence timer: its timeout (10 s) passes without a drop, and no ping before 15 s.
    await clock.advance(14_999);
    expect(transport.isOpen).toBe(true);
    expect(server.pings()).toBe(3);
    await transport.close();
  });

  it("sends no ping while the server speaks: the silence counts from its last frame", async () => {
    const clock = new VirtualClock();
    const server = await peer(false);
    const { socket, transport } = await connect(server.url, clock);
    await clock.advance(10_000);
    const heard = new Promise((resolve) => socket.once("message", resolve));
    server.say();
    await heard;
    await clock.advance(14_999); // 14,999 ms after the frame, 24,999 after the start
    expect(server.pings()).toBe(0);
    expect(transport.isOpen).toBe(true);
    await clock.advance(1);
    await expect.poll(server.pings).toBe(1);
    await transport.close();
  });
});
