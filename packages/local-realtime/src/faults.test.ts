import { describe, expect, it } from "vitest";
import { startTestServer, TestClient } from "../test/harness.ts";
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
});
