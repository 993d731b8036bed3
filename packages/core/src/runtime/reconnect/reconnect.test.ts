import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codeApprover } from "../../approval/index.ts";
import { VirtualClock } from "../../clock/index.ts";
import type { Session } from "../session.ts";
import { type LocalServer, next, open, startServer } from "../test-support/harness.ts";

type Gate = { waiting: number; release: () => void; opened: Promise<void>; ran: string[] };
const g = globalThis as { parleyGate?: Gate };

const cleanup: Array<() => Promise<void>> = [];
beforeEach(() => {
  g.parleyGate = undefined;
});
afterEach(async () => {
  g.parleyGate?.release();
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<LocalServer> {
  const s = await startServer(options);
  cleanup.push(() => s.close());
  return s;
}

async function session(s: LocalServer, options: Parameters<typeof open>[2] = {}) {
  const rec = await open(s, "reconnect.agent.yaml", {
    reconnect: { baseDelayMs: 10, random: () => 1, ...(options.reconnect || {}) },
    ...options,
  });
  cleanup.push(() => rec.session.close());
  return rec;
}

/** Texts of user/system/assistant items the session sent (typed input and replays) after index `from`. */
function itemsSent(sent: RealtimeClientEvent[], from = 0): string[] {
  return sent
    .slice(from)
    .flatMap((e) =>
      e.type === "conversation.item.create"
        ? [
            e.item.type === "message"
              ? `${e.item.role}: ${e.item.content.map((c) => ("text" in c ? c.text : "")).join("")}`
              : e.item.type,
          ]
        : [],
    );
}

const collisions = (rec: { received: { type: string; error?: { code?: string | null } }[] }) =>
  rec.received.filter(
    (e) => e.type === "error" && e.error?.code === "conversation_already_has_active_response",
  );

const gate = () => g.parleyGate as Gate;
const waitFor = async (test: () => boolean, session: Session) => {
  // Protocol-driven: re-check on every server event until true.
  while (!test()) await next(session, "server.event");
};

describe("close classes", () => {
  it("a network drop mid-response: reconnecting, restored with the conversation replayed, the answer asked again", async () => {
    // The server drops the connection right after it announces the response (response.created, nothing more).
    let events = 0;
    let armed = false;
    const s = await server({
      onServerEvent: (e) => {
        events++;
        if (armed && e.type === "response.created") {
          armed = false;
          s.setFaults({ dropAfterEvents: events });
        }
      },
    });
    const rec = await session(s);
    const { session: sess, sent } = rec;
    const first = next(sess, "agent.transcript.done");
    sess.sendText("hello there");
    await first;
    const seen: string[] = [];
    sess.on("reconnecting", (e) => seen.push(`reconnecting ${e.reason} ${e.attempt}`));
    sess.on("restored", (e) => seen.push(`restored ${e.reason} ${e.attempts} ${e.replayed}`));
    sess.on("closed", () => seen.push("closed"));
    const restored = next(sess, "restored");
    const before = sent.length;
    armed = true;
    sess.sendText("what about tomorrow?");
    await restored;
    s.setFaults({});
    const answer = await next(sess, "agent.transcript.done");
    expect(answer.transcript.length).toBeGreaterThan(0);
    expect(seen).toEqual(["reconnecting network 1", "restored network 1 3"]);
    expect(sess.open).toBe(true);
    // The replay: the whole conversation as text (the cut-off answer was never recorded), then one answer.
    expect(itemsSent(sent, before).slice(1)).toEqual([
      "user: hello there",
      expect.stringMatching(/^assistant: ./),
      "user: what about tomorrow?",
    ]);
    const creates = sent.slice(before).filter((e) => e.type === "response.create");
    expect(creates).toHaveLength(2); // the one cut off, and the one asked again after the restore
    expect(collisions(rec)).toEqual([]);
    // Nothing recorded is lost or doubled: each entry once, in order.
    const texts = sess.snapshot().items.map((i) => `${i.role}: ${i.text}`);
    expect(texts.slice(0, 3)).toEqual([
      "user: hello there",
      expect.stringMatching(/^assistant: ./),
      "user: what about tomorrow?",
    ]);
    expect(texts).toHaveLength(4);
  });

  it("session_expired: the error event then the close restores at once (no backoff)", async () => {
    // The expiry runs on the server's virtual clock: it comes after the handshake however long that took (a real
    // 300 ms could end the first connection before startSession had it, on a busy machine).
    const clock = new VirtualClock();
    const s = await server({ faults: { expireAfterMs: 300 }, clock });
    const rec = await session(s);
    s.setFaults({}); // only the first connection expires
    const restored = next(rec.session, "restored");
    await clock.advance(300);
    const r = await restored;
    expect(r).toMatchObject({ reason: "expired", attempts: 1 });
    expect(rec.session.open).toBe(true);
  });

  it("a fatal close (the server's invalid_api_key, then close) ends the session with a clear error", async () => {
    const s = await server();
    const rec = await session(s);
    const errors: string[] = [];
    rec.session.on("error", (e) => errors.push(`${e.error.code}: ${e.error.message}`));
    let reconnected = false;
    rec.session.on("reconnecting", () => {
      reconnected = true;
    });
    const closed = next(rec.session, "closed");
    const n = rec.received.length + 1;
    s.setFaults({
      errorAfterEvents: n,
      closeAfterEvents: n,
      closeCode: 1008,
      error: {
        type: "invalid_request_error",
        code: "invalid_api_key",
        message: "Incorrect API key.",
      },
    });
    rec.session.sendText("hello");
    const c = await closed;
    expect(c.reason).toBe("socket_closed");
    expect(reconnected).toBe(false);
    expect(
      errors.some((e) => e.startsWith("connection_fatal:") && e.includes("invalid_api_key")),
    ).toBe(true);
  });

  it("gives up after maxAttempts: restore_failed, then closed", async () => {
    const s = await server();
    const rec = await session(s, {
      reconnect: { maxAttempts: 2, baseDelayMs: 5, random: () => 1 },
    });
    const failed = next(rec.session, "restore_failed");
    const closed = next(rec.session, "closed");
    rec.session.on("reconnecting", (e) => {
      if (e.attempt === 1) s.setFaults({ refuseConnections: 5 });
    });
    s.setFaults({ dropAfterEvents: rec.received.length + 1 });
    rec.session.sendText("hello");
    expect(await failed).toMatchObject({ reason: "network", attempts: 2 });
    expect((await closed).reason).toBe("socket_closed");
  });

  it("restore refused N times, then succeeding: backoff between attempts", async () => {
    const s = await server();
    const rec = await session(s, {
      reconnect: { maxAttempts: 5, baseDelayMs: 20, random: () => 1 },
    });
    const attempts: [number, number][] = [];
    rec.session.on("reconnecting", (e) => {
      attempts.push([e.attempt, e.delayMs]);
      if (e.attempt === 1) s.setFaults({ refuseConnections: 2 });
    });
    const restored = next(rec.session, "restored");
    s.setFaults({ dropAfterEvents: rec.received.length + 1 });
    rec.session.sendText("hello");
    expect(await restored).toMatchObject({ reason: "network", attempts: 3 });
    expect(attempts).toEqual([
      [1, 0],
      [2, 20],
      [3, 40],
    ]);
  });
});

describe("tool calls across a drop", () => {
  it("a call running when the connection drops ends once: its output is said as text in the restored session, answered once", async () => {
    const s = await server();
    const rec = await session(s);
    const { session: sess, sent } = rec;
    const restored = next(sess, "restored");
    s.setFaults({ closeOnToolCall: "drop" });
    const call = next(sess, "tool.call");
    sess.sendText('/call lookup {"reference":"ABC"}');
    await call;
    await restored;
    s.setFaults({});
    const outputs: string[] = [];
    sess.on("tool.output", (e) => outputs.push(e.callId));
    const ended = next(sess, "tool.output");
    gate().release();
    const { callId } = await ended;
    await waitFor(() => !sess.busy, sess);
    // The call that spanned the drop ended exactly once, as text (its call item is gone with the old connection).
    expect(outputs.filter((id) => id === callId)).toHaveLength(1);
    const said = itemsSent(sent).filter((t) => t.startsWith("system: [tool result] lookup"));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('"status":"confirmed"');
    const asOutputs = sent.filter(
      (e) =>
        e.type === "conversation.item.create" &&
        e.item.type === "function_call_output" &&
        e.item.call_id === callId,
    );
    expect(asOutputs).toEqual([]);
    // Every call (the simulated model may ask again, reading the replayed "/call") got exactly one output.
    expect(new Set(outputs).size).toBe(outputs.length);
    expect(collisions(rec)).toEqual([]);
  });

  it("a drop between a call item and its response.done: the call ends once, its answer comes, the turn ends (idle)", async () => {
    // The CI failure of 2026-12-01 (drop point 32): the answer about the call waited for a response.done that died
    // with the connection, so the turn never ended and the next call of the restored session joined that wait.
    let events = 0;
    let armed = true;
    const s = await server({
      onServerEvent: (e) => {
        events++; // one connection until the drop: its count
        const item = e.item as { type?: string } | undefined;
        if (armed && e.type === "response.output_item.done" && item?.type === "function_call") {
          armed = false;
          s.setFaults({ dropAfterEvents: events }); // this event is the last one the client gets
        }
      },
    });
    const tools = await import("../../../test/fixtures/runtime/reconnect-tools.ts");
    tools.gate().release(); // the tool ends at once, racing the drop
    const rec = await session(s);
    const sess = rec.session;
    const outputs: string[] = [];
    sess.on("tool.output", (e) => outputs.push(e.callId));
    const seen: string[] = [];
    for (const name of ["reconnecting", "restored", "idle"] as const)
      sess.on(name, () => seen.push(name));
    sess.on("reconnecting", () => s.setFaults({}));
    sess.sendText('/call lookup {"reference":"R1"}');
    await next(sess, "restored");
    while (sess.busy) await next(sess, "idle");
    expect(sess.restoring).toBe(false);
    expect(seen.slice(0, 2)).toEqual(["reconnecting", "restored"]);
    expect(seen.at(-1)).toBe("idle");
    // Every call (the model may ask again after the replay) got one output, and the last one was answered.
    expect(outputs.length).toBeGreaterThan(0);
    expect(new Set(outputs).size).toBe(outputs.length);
    const last = sess.snapshot().items.at(-1);
    expect(last).toMatchObject({ type: "message", role: "assistant" });
    expect(collisions(rec)).toEqual([]);
  });

  it("a call waiting for approval when the connection drops runs once approved, its output said once", async () => {
    const s = await server();
    let approve: (ok: boolean) => void = () => {};
    let asked: () => void = () => {};
    const waiting = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const approver = codeApprover(
      () =>
        new Promise<boolean>((resolve) => {
          approve = resolve;
          asked();
        }),
    );
    cleanup.push(async () => approve(false));
    const rec = await session(s, { scheduler: { approvers: [approver] } });
    const sess = rec.session;
    sess.sendText('/call refund {"amount":40}');
    await waiting;
    const restored = next(sess, "restored");
    s.setFaults({ dropAfterEvents: rec.received.length + 1 }); // the next server event ends the connection
    sess.sendText("are you there?");
    await restored;
    s.setFaults({});
    const output = next(sess, "tool.output");
    approve(true);
    expect((await output).state).toBe("completed");
    await waitFor(() => !sess.busy, sess);
    expect(gate().ran).toEqual(["refund 40"]);
    const said = itemsSent(rec.sent).filter((t) => t.startsWith("system: [tool result] refund"));
    expect(said).toHaveLength(1);
    expect(collisions(rec)).toEqual([]);
  });
});

describe("recycling before the cap", () => {
  it("replaces the connection at the first turn boundary after recycleAfterMs, on the session's clock", async () => {
    const s = await server();
    const clock = new VirtualClock();
    const rec = await session(s, {
      clock,
      reconnect: { recycleAfterMs: 55 * 60_000, baseDelayMs: 10, random: () => 1 },
    });
    const sess = rec.session;
    const first = next(sess, "agent.transcript.done");
    sess.sendText("hello there");
    await first;
    let recycled = false;
    sess.on("reconnecting", () => {
      recycled = true;
    });
    await clock.advance(55 * 60_000 - 1);
    expect(recycled).toBe(false);
    const restored = next(sess, "restored");
    await clock.advance(1);
    expect(await restored).toMatchObject({ reason: "recycle", attempts: 1, replayed: 2 });
    expect(sess.open).toBe(true);
    const answer = next(sess, "agent.transcript.done");
    sess.sendText("still there?");
    expect((await answer).transcript.length).toBeGreaterThan(0);
    expect(collisions(rec)).toEqual([]);
  });
});
