import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { functionTool, startTestServer, TestClient } from "../test/harness.ts";
import { ManualClock } from "../test/manual-clock.ts";

describe("fault injection", () => {
  it("drops the connection abruptly after N events", async () => {
    const server = await startTestServer({ faults: { dropAfterEvents: 3 } });
    const client = await TestClient.connect(server.url);
    await client.textSession();
    client.send({ type: "response.create" });
    const closed = new Promise<number>((resolve) =>
      client.ws.once("close", (code) => resolve(code)),
    );
    expect(await closed).toBe(1006);
    expect(client.events).toHaveLength(3);
  });

  it("injects an error event after N events", async () => {
    const server = await startTestServer({
      faults: { errorAfterEvents: 1, error: { code: "server_overloaded", message: "Try again." } },
    });
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    expect((await client.next("error")).error).toMatchObject({
      type: "server_error",
      code: "server_overloaded",
      message: "Try again.",
    });
  });

  it("stalls: the socket stays open but nothing more arrives", async () => {
    const server = await startTestServer({ faults: { stallAfterEvents: 1 } });
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({ type: "session.update", session: { type: "realtime" } });
    await expect(client.next("session.updated", () => true, 300)).rejects.toThrow(/timed out/);
    expect(client.closed).toBe(false);
  });

  it("adds latency to every event, keeping their order, and can be changed on a live server", async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock });
    server.setFaults({ latencyMs: 150 });
    const client = await TestClient.connect(server.url);
    await clock.advance(149);
    expect(client.events).toEqual([]);
    await clock.advance(1);
    await client.next("session.created");
    server.setFaults({});
    client.send({
      type: "session.update",
      session: { type: "realtime", output_modalities: ["text"] },
    });
    await client.say("hello");
    expect(client.types().slice(0, 2)).toEqual(["session.created", "session.updated"]);
  });

  it("closes with a close frame after N events", async () => {
    const server = await startTestServer({
      faults: { closeAfterEvents: 2, closeCode: 1012, closeReason: "restarting" },
    });
    const client = await TestClient.connect(server.url);
    const closed = new Promise<[number, string]>((resolve) =>
      client.ws.once("close", (code, reason) => resolve([code, String(reason)])),
    );
    await client.textSession();
    expect(await closed).toEqual([1012, "restarting"]);
    expect(client.types()).toEqual(["session.created", "session.updated"]);
  });

  for (const how of ["drop", "close"] as const) {
    it(`ends the connection mid-tool (${how}): right after the response that calls a tool`, async () => {
      const server = await startTestServer({ faults: { closeOnToolCall: how } });
      const client = await TestClient.connect(server.url);
      await client.textSession({ tools: [functionTool("lookup", "Looks a thing up.")] });
      const closed = new Promise<number>((resolve) =>
        client.ws.once("close", (code) => resolve(code)),
      );
      await client.say("what is the weather?"); // no tool: the connection stays
      expect(client.closed).toBe(false);
      client.send({
        type: "conversation.item.create",
        item: {
          type: "message",
          role: "user",
          content: [{ type: "input_text", text: '/call lookup {"id": 7}' }],
        },
      });
      client.send({ type: "response.create" });
      expect(await closed).toBe(how === "drop" ? 1006 : 1011);
      const last = client.events.at(-1);
      expect(last?.type).toBe("response.done");
      expect(last?.response.output[0]).toMatchObject({ type: "function_call", name: "lookup" });
    });
  }

  it("expires a session after the configured time: session_expired error, then a close frame", async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock, faults: { expireAfterMs: 60 * 60_000 } });
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    const closed = new Promise<number>((resolve) =>
      client.ws.once("close", (code) => resolve(code)),
    );
    await clock.advance(60 * 60_000 - 1);
    expect(client.closed).toBe(false);
    await clock.advance(1);
    expect((await client.next("error")).error).toEqual({
      type: "invalid_request_error",
      code: "session_expired",
      message: "Your session hit the maximum duration of 60 minutes.",
      param: null,
      event_id: null,
    });
    expect(await closed).toBe(1000);
  });

  it("refuses the next N connections with a 503, then serves again", async () => {
    const server = await startTestServer();
    server.setFaults({ refuseConnections: 2 });
    const attempt = () =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url}?model=gpt-realtime`);
        ws.on("error", () => {}); // the refused upgrade is reported through unexpected-response
        ws.once("unexpected-response", (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.once("open", () => {
          resolve(101);
          ws.terminate();
        });
      });
    expect([await attempt(), await attempt(), await attempt()]).toEqual([503, 503, 101]);
  });
});
