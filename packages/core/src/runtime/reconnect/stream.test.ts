// The reconnect events on the serialisable event stream (`session.onEvent`): a drop and its restore, a recycle
// before the cap, and a restore that gives up, each as a JSON line a log or a dashboard can keep.
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../clock/index.ts";
import type { StreamEvent } from "../event-stream.ts";
import { next, open, startServer } from "../test-support/harness.ts";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

const RECONNECT = new Set(["reconnecting", "restored", "restore_failed"]);

/** The reconnect events of a stream, as they would be read back from a JSON-lines log. */
function reconnectLines(stream: StreamEvent[]): Record<string, unknown>[] {
  return stream
    .filter((e) => RECONNECT.has(e.type))
    .map((e) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>);
}

async function server() {
  const s = await startServer();
  cleanup.push(() => s.close());
  return s;
}

describe("reconnect events on the event stream", () => {
  it("a drop: reconnecting then restored, with the reason, attempts and the new session id", async () => {
    const s = await server();
    const stream: StreamEvent[] = [];
    const rec = await open(s, "reconnect.agent.yaml", {
      reconnect: { baseDelayMs: 5, random: () => 1 },
      onEvent: (e) => stream.push(e),
      on: { reconnecting: () => s.setFaults({}) },
    });
    cleanup.push(() => rec.session.close());
    const first = rec.session.id;
    s.setFaults({ dropAfterEvents: rec.received.length + 1 });
    rec.session.sendText("hello there");
    await next(rec.session, "restored");
    const lines = reconnectLines(stream);
    expect(lines).toEqual([
      expect.objectContaining({ type: "reconnecting", reason: "network", attempt: 1, delayMs: 0 }),
      // The user's item reached the server (its echo was the last event): it is replayed.
      expect.objectContaining({ type: "restored", reason: "network", attempts: 1, replayed: 1 }),
    ]);
    const [reconnecting, restored] = lines;
    expect(reconnecting?.sessionId).toBe(first);
    expect(typeof reconnecting?.detail).toBe("string");
    expect(restored?.sessionId).toBe(rec.session.id);
    expect(restored?.sessionId).not.toBe(first);
    expect(typeof restored?.ms).toBe("number");
    expect(Number(restored?.seq)).toBeGreaterThan(Number(reconnecting?.seq));
  });

  it("a recycle before the cap: reconnecting and restored with reason recycle", async () => {
    const s = await server();
    const clock = new VirtualClock();
    const stream: StreamEvent[] = [];
    const rec = await open(s, "reconnect.agent.yaml", {
      clock,
      reconnect: { recycleAfterMs: 1000, baseDelayMs: 5, random: () => 1 },
      onEvent: (e) => stream.push(e),
    });
    cleanup.push(() => rec.session.close());
    const restored = next(rec.session, "restored");
    await clock.advance(1000);
    await restored;
    expect(reconnectLines(stream)).toEqual([
      expect.objectContaining({ type: "reconnecting", reason: "recycle", attempt: 1 }),
      expect.objectContaining({ type: "restored", reason: "recycle", attempts: 1 }),
    ]);
  });

  it("a restore that gives up: restore_failed, then closed", async () => {
    const s = await server();
    const stream: StreamEvent[] = [];
    const rec = await open(s, "reconnect.agent.yaml", {
      reconnect: { maxAttempts: 1, baseDelayMs: 5, random: () => 1 },
      onEvent: (e) => stream.push(e),
      on: { reconnecting: () => s.setFaults({ refuseConnections: 5 }) },
    });
    const closed = next(rec.session, "closed");
    s.setFaults({ dropAfterEvents: rec.received.length + 1 });
    rec.session.sendText("hello there");
    await closed;
    const lines = reconnectLines(stream);
    expect(lines.map((l) => l.type)).toEqual(["reconnecting", "restore_failed"]);
    expect(lines[1]).toMatchObject({ reason: "network", attempts: 1 });
    expect(String(lines[1]?.detail)).toMatch(/\S/);
    expect(stream.at(-1)?.type).toBe("closed");
  });
});
