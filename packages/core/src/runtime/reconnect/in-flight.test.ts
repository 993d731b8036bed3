// What is sent into a connection that has already died (before the client hears of the drop) is not lost, and a
// drop during the handshake is tried again by startSession. Drops are placed exactly with the local server's fault
// counts (server events on a connection, session.created being the 1st).
import { afterEach, describe, expect, it } from "vitest";
import { type LocalServer, next, open, startServer } from "../test-support/harness.ts";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<LocalServer> {
  const s = await startServer(options);
  cleanup.push(() => s.close());
  return s;
}

async function session(s: LocalServer, seen: string[] = []) {
  const rec = await open(s, "reconnect.agent.yaml", {
    reconnect: { baseDelayMs: 5, random: () => 1 },
    on: {
      // One drop per test: the next connection is served.
      reconnecting: (e) => {
        seen.push(`reconnecting ${e.attempt}`);
        s.setFaults({});
      },
      restored: () => seen.push("restored"),
    },
  });
  cleanup.push(() => rec.session.close());
  return rec;
}

const userTexts = (rec: Awaited<ReturnType<typeof session>>) =>
  rec.session
    .snapshot()
    .items.filter((i) => i.role === "user")
    .map((i) => i.text);

async function settle(rec: Awaited<ReturnType<typeof session>>): Promise<void> {
  while (rec.session.busy) await next(rec.session, "idle");
}

describe("in flight when the connection dies", () => {
  it("a drop during the handshake (after session.created): startSession connects again and resolves", async () => {
    const s = await server();
    s.setFaults({ dropAfterEvents: 1 });
    const seen: string[] = [];
    const rec = await session(s, seen);
    expect(seen).toEqual(["reconnecting 2"]);
    expect(rec.session.open).toBe(true);
    rec.session.sendText("hello there");
    await settle(rec);
    expect(userTexts(rec)).toEqual(["hello there"]);
  });

  it("a drop right after the handshake: the first turn, sent into the dead socket, is sent again after the restore", async () => {
    const s = await server();
    s.setFaults({ dropAfterEvents: 2 }); // session.created, session.updated, then nothing
    const seen: string[] = [];
    const rec = await session(s, seen);
    const restored = next(rec.session, "restored");
    rec.session.sendText("hello there");
    await restored;
    await settle(rec);
    expect(seen).toEqual(["reconnecting 1", "restored"]);
    expect(userTexts(rec)).toEqual(["hello there"]);
    // Sent twice on the wire (the first one never arrived), taken once by a server, with the same item id.
    const creates = rec.sent.filter(
      (e) => e.type === "conversation.item.create" && e.item.type === "message",
    );
    expect(creates).toHaveLength(2);
    expect(
      new Set(creates.map((e) => e.type === "conversation.item.create" && e.item.id)).size,
    ).toBe(1);
    const taken = rec.received.filter(
      (e) =>
        e.type === "conversation.item.added" && e.item.type === "message" && e.item.role === "user",
    );
    expect(taken).toHaveLength(1);
    expect(rec.session.snapshot().items.at(-1)).toMatchObject({ role: "assistant" });
  });

  it("a drop at the end of a turn: the session is idle again after the restore, and the next turn is not lost", async () => {
    // The connection ends right after the turn's last event (rate_limits.updated, after response.done); the client
    // hears of it only after it sent the next turn.
    let events = 0;
    let armed = true;
    const s = await server({
      onServerEvent: (e) => {
        events++; // one connection until the drop: its count
        if (armed && e.type === "rate_limits.updated") {
          armed = false;
          s.setFaults({ dropAfterEvents: events });
        }
      },
    });
    const rec = await session(s);
    let idleAfterRestore = false;
    rec.session.on("restored", () => {
      rec.session.once("idle", () => {
        idleAfterRestore = true;
      });
    });
    rec.session.sendText("hello there");
    await settle(rec);
    const restored = next(rec.session, "restored");
    rec.session.sendText("and tomorrow?");
    await restored;
    await settle(rec);
    expect(rec.session.restoring).toBe(false);
    expect(idleAfterRestore).toBe(true);
    expect(userTexts(rec)).toEqual(["hello there", "and tomorrow?"]);
  });
});
