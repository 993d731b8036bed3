// A long conversation is not replayed whole: `reconnect.maxReplayItems` keeps the most recent items, after a note.
import { afterEach, describe, expect, it } from "vitest";
import { next, open, startServer } from "../test-support/harness.ts";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

describe("replaying a long conversation", () => {
  it("sends the note and the last maxReplayItems items; the record keeps everything, once", async () => {
    const s = await startServer();
    cleanup.push(() => s.close());
    const rec = await open(s, "reconnect.agent.yaml", {
      reconnect: { baseDelayMs: 5, random: () => 1, maxReplayItems: 2 },
      on: { reconnecting: () => s.setFaults({}) },
    });
    cleanup.push(() => rec.session.close());
    const { session } = rec;
    for (const text of ["one", "two", "three"]) {
      session.sendText(text);
      while (session.busy) await next(session, "idle");
    }
    const before = session.snapshot().items.length; // 3 turns: 6 items
    expect(before).toBe(6);
    const from = rec.sent.length;
    // The drop: the next server event (the echo of "four") is the last one of this connection.
    s.setFaults({ dropAfterEvents: rec.received.length + 1 });
    session.sendText("four");
    const restored = await next(session, "restored");
    while (session.busy) await next(session, "idle");
    expect(restored.replayed).toBe(3); // the note and the last two items
    const replayed = rec.sent
      .slice(from)
      .filter((e) => e.type === "conversation.item.create")
      .slice(1, 4)
      .map((e) =>
        e.type === "conversation.item.create" && e.item.type === "message" ? e.item.role : "",
      );
    expect(replayed).toEqual(["system", "assistant", "user"]);
    // The note is not recorded; every turn is, once.
    const texts = session.snapshot().items.map((i) => `${i.role}: ${i.text}`);
    expect(texts.filter((t) => t.startsWith("user:"))).toEqual([
      "user: one",
      "user: two",
      "user: three",
      "user: four",
    ]);
    expect(texts.some((t) => t.includes("[earlier]"))).toBe(false);
  });
});
