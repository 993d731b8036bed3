import { acceptInMemory } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";
import { holdLookupUntil } from "../../test/fixtures/runtime/tools.ts";
import { loadAgent } from "../load/index.ts";
import { memoryTransportPair } from "../testing/index.ts";
import type { StreamEvent } from "./event-stream.ts";
import type { Session } from "./session.ts";
import { startSession } from "./start-session.ts";
import { fixture, next } from "./test-support/harness.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function streamed(agentFile: string): Promise<{ session: Session; events: StreamEvent[] }> {
  const { client, server } = memoryTransportPair();
  const peer = acceptInMemory(server, { pace: 0 });
  cleanup.push(() => peer.close());
  const events: StreamEvent[] = [];
  const session = await startSession({
    agent: await loadAgent(fixture(agentFile)),
    transport: client,
    timeoutMs: 15_000,
    onEvent: (e) => events.push(e),
  });
  cleanup.push(() => session.close());
  return { session, events };
}

describe("the session's event stream", () => {
  it("carries a tool turn end to end as JSON: protocol events, the call's lifecycle, the filler, latency, cost", async () => {
    const { session, events } = await streamed("booking.agent.yaml");
    const answered = next(
      session,
      "agent.transcript.done",
      (e) => e.kind === "answer" && e.transcript.includes("confirmed"),
    );
    const usage = next(session, "usage", (e) => e.kind === "answer");
    // The tool runs until its filler was sent: a filler is what happens while a tool is slow.
    holdLookupUntil(next(session, "tool.filler"));
    cleanup.push(() => holdLookupUntil(undefined));
    session.sendText('/call lookup {"reference":"AB12"}');
    await answered;
    await usage;
    await session.close();

    // Serialisable as is: what a log file or another process gets back is the same event.
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      "client.event",
      "server.event",
      "session.started",
      "response.started",
      "tool.call",
      "tool.state",
      "tool.filler",
      "tool.output",
      "agent.transcript.done",
      "agent.audio",
      "usage",
      "latency",
      "response.done",
      "closed",
    ])
      expect(types, type).toContain(type);
    // The handshake is in it, in order, before the session started.
    const first = events.findIndex((e) => e.type === "session.started");
    expect(events.slice(0, first).flatMap((e) => ("event" in e ? [e.event.type] : []))).toEqual([
      "session.created",
      "session.update",
      "session.updated",
    ]);
    expect(events.at(-1)?.type).toBe("closed");
    // Once the server named the session, every event says so.
    expect(events.at(-1)?.sessionId).toMatch(/^sess_/);
    const output = events.find((e) => e.type === "tool.output");
    expect(output).toMatchObject({ tool: "lookup", state: "completed" });
    // Audio is counted, not carried.
    const audio = events.find((e) => e.type === "agent.audio");
    expect(audio?.audioBytes).toBeGreaterThan(0);
    expect(audio).not.toHaveProperty("audio");
    const delta = events
      .map((e) => (e.type === "server.event" ? e.event : undefined))
      .find((e) => e?.type === "response.output_audio.delta");
    expect(delta?.audioBytes).toBeGreaterThan(0);
    expect(delta).not.toHaveProperty("delta");
  });

  it("redacts secrets a user typed, in the protocol events it carries", async () => {
    const { session, events } = await streamed("assistant.agent.yaml");
    const done = next(session, "response.done");
    session.sendText("my key is sk-abcdefghijklmnopqrstuvwx");
    await done;
    const text = JSON.stringify(events);
    expect(text).not.toContain("sk-abcdefghijklmnopqrstuvwx");
    expect(text).toContain("[redacted]");
  });

  it("reports a stream listener that throws as a listener_failed error, and goes on", async () => {
    const { session, events } = await streamed("assistant.agent.yaml");
    let thrown = 0;
    session.onEvent((e) => {
      if (e.type === "response.started" && thrown++ === 0) throw new Error("boom");
    });
    const failed = next(session, "error", (e) => e.error.code === "listener_failed");
    const done = next(session, "response.done");
    session.sendText("Hello");
    expect((await failed).error.message).toContain("boom");
    await done;
    expect(events.some((e) => e.type === "error")).toBe(true);
    expect(session.open).toBe(true);
  });

  it("stops delivering once unsubscribed", async () => {
    const { session } = await streamed("assistant.agent.yaml");
    const seen: string[] = [];
    const stop = session.onEvent((e) => seen.push(e.type));
    const done = next(session, "response.done");
    session.sendText("Hello");
    await done;
    stop();
    const count = seen.length;
    const again = next(session, "response.done");
    session.sendText("Again");
    await again;
    expect(count).toBeGreaterThan(0);
    expect(seen.length).toBe(count);
  });
});
