import { acceptInMemory, type InMemorySocket } from "@parley/local-realtime";
import type {
  RealtimeSessionCreateRequest,
  SessionUpdateEvent,
} from "openai/resources/realtime/realtime";
import { describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { type LoadedAgent, loadAgent } from "../load/index.ts";
import { memoryTransportPair } from "../testing/index.ts";
import { realtimeUrl, startSession } from "./start-session.ts";

describe("the WebSocket URL", () => {
  it("adds the model to the OpenAI endpoint, or the SIP call id instead", () => {
    expect(realtimeUrl(undefined, "gpt-realtime")).toBe(
      "wss://api.openai.com/v1/realtime?model=gpt-realtime",
    );
    expect(realtimeUrl(undefined, "gpt-realtime", "rtc_123")).toBe(
      "wss://api.openai.com/v1/realtime?call_id=rtc_123",
    );
  });

  it("keeps a caller's own query (a local server, an EU host with its model)", () => {
    expect(realtimeUrl("ws://127.0.0.1:4000/v1/realtime", "gpt-realtime-mini")).toBe(
      "ws://127.0.0.1:4000/v1/realtime?model=gpt-realtime-mini",
    );
    expect(realtimeUrl("wss://eu.example/v1/realtime?model=x", "gpt-realtime")).toBe(
      "wss://eu.example/v1/realtime?model=x",
    );
  });
});

describe("the session.update an agent's sessions share", () => {
  const agentFile = new URL(
    "../../../../agents/hotel-concierge/concierge.agent.yaml",
    import.meta.url,
  ).pathname;

  /** Starts a session on an in-memory local server; resolves to the session.update it sent, then closes. */
  async function sentUpdate(agent: LoadedAgent, variables?: Record<string, unknown>) {
    const { client, server } = memoryTransportPair();
    const peer = acceptInMemory(server, { pace: 0 });
    let sent: SessionUpdateEvent | undefined;
    const session = await startSession({
      agent,
      transport: client,
      ...(variables ? { variables } : {}),
      on: {
        "client.event": (e) => {
          if (e.type === "session.update") sent ??= e;
        },
      },
    });
    await session.close();
    await peer.close();
    // A voice agent compiles to a realtime session (a transcription session has no instructions).
    return sent as SessionUpdateEvent & { session: RealtimeSessionCreateRequest };
  }

  it("is compiled once per agent and variables: other variables get their own, never a neighbour's", async () => {
    const agent = await loadAgent(agentFile, { env: { HELPDESK_MCP_TOKEN: "t" } });
    const ada = await sentUpdate(agent, { guest_name: "Ada", city: "Porto" });
    const again = await sentUpdate(agent, { guest_name: "Ada", city: "Porto" });
    const bo = await sentUpdate(agent, { guest_name: "Bo", city: "Faro" });
    expect(again.session).toBe(ada.session); // shared, not rebuilt
    expect(Object.isFrozen(ada.session)).toBe(true); // so no session can change it for the others
    expect(ada.session.instructions).toContain("Porto");
    expect(bo.session.instructions).toContain("Faro");
    expect(bo.session.instructions).not.toContain("Porto");
    const reloaded = await loadAgent(agentFile, { env: { HELPDESK_MCP_TOKEN: "t" } });
    expect((await sentUpdate(reloaded, { guest_name: "Ada", city: "Porto" })).session).not.toBe(
      ada.session,
    );
  });
});

describe("the default transport's headers", () => {
  it("are read at each connect: a ws options object reused with a changed header sends the new value", async () => {
    // A loopback ws server that records the header, then runs the local Realtime session on the accepted socket.
    const seen: string[] = [];
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    const peers: { close(): void }[] = [];
    wss.on("connection", (socket, request) => {
      seen.push(String(request.headers["x-trace"]));
      // A ws socket has everything a local session uses (on/send/close/terminate/readyState).
      peers.push(acceptInMemory(socket as unknown as InMemorySocket, { pace: 0 }));
    });
    await new Promise((resolve) => wss.once("listening", resolve));
    const { port } = wss.address() as { port: number };
    const agent = await loadAgent(
      new URL("../../bench/fixtures/peer.agent.yaml", import.meta.url).pathname,
    );
    const ws = { headers: { "x-trace": "" } };
    for (const trace of ["call-1", "call-2"]) {
      ws.headers["x-trace"] = trace;
      const session = await startSession({
        agent,
        url: `ws://127.0.0.1:${port}/v1/realtime`,
        apiKey: "sk-test",
        ws,
      });
      await session.close();
    }
    for (const peer of peers) peer.close();
    await new Promise((resolve) => wss.close(resolve));
    expect(seen).toEqual(["call-1", "call-2"]);
  });
});
