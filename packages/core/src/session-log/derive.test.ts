import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { speechAudio } from "@parley/local-realtime";
import { describe, expect, it } from "vitest";
import type { StreamEvent } from "../runtime/event-stream.ts";
import { next } from "../runtime/test-support/harness.ts";
import { DERIVED_EVENTS, deriveEvents } from "./derive.ts";
import { readSessionLog } from "./read.ts";
import { loggedSession } from "./test-support.ts";
import type { SessionLogOptions } from "./writer.ts";

const API_KEY = "sk-proj-DERIVEKEY0123456789abcdefghijklmn";

/** A typed turn and a tool turn on the local server, logged, with every stream event kept beside the log. */
async function recorded(options: Partial<SessionLogOptions>, alongside: boolean) {
  const { log, session, all } = await loggedSession({
    apiKey: API_KEY,
    token: "mcp-derive-token-0a1b2c3d4e",
    log: options,
    beside: alongside,
  });
  const usages: unknown[] = [];
  session.on("usage", (e) => usages.push(structuredClone(e)));
  const greeted = next(session, "agent.transcript.done", (e) => e.kind === "answer");
  session.sendText("hello there");
  await greeted;
  const answered = next(session, "agent.transcript.done", (e) => e.kind === "answer");
  session.sendText('/call account {"number":"42"}');
  await answered;
  await session.close();
  await log.close();
  return { log, all, usages };
}

/** What a derived event says, without where it sits in the stream. */
function said(e: StreamEvent): string {
  const {
    at: _at,
    seq: _seq,
    sessionId: _id,
    ...rest
  } = e as StreamEvent & Record<string, unknown>;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

describe("session log format 3", () => {
  it("writes no event one protocol event says, and reads each back as the session emitted it", async () => {
    // Every chunk a line, so that every derived event can be made again; the stream's own copies beside it.
    const { log, all } = await recorded({ chunks: "all" }, true);
    const text = readFileSync(log.file, "utf8");
    for (const type of DERIVED_EVENTS) expect(text).not.toContain(`"type":"${type}"`);
    const { header, events } = await readSessionLog(log.file);
    expect(header.version).toBe(4);
    const from = events[0]?.seq ?? 0;
    const emitted = all.filter((e) => e.seq >= from && DERIVED_EVENTS.has(e.type));
    const made = events.filter((e) => DERIVED_EVENTS.has(e.type)) as StreamEvent[];
    for (const type of ["agent.audio", "agent.transcript.done", "user.transcript.done"])
      expect(made.some((e) => e.type === type)).toBe(true);
    expect(made.map(said)).toEqual(emitted.map(said));
    // Each right after the line it comes from (its seq), or after the item.done whose text it is.
    for (const e of made) {
      const source = events.findLast((l) => l.seq === e.seq && !DERIVED_EVENTS.has(l.type));
      expect(source?.type, e.type).toMatch(/^(server\.event|item\.done)$/);
    }
  });

  it("reads a spoken call with a barge-in back in the order the session emitted every event", async () => {
    // Real time, so that the caller's speech lands on the greeting: speech events, an interruption, muted audio.
    const { log, session, all } = await loggedSession({
      agentFile: new URL(
        "../../test/fixtures/runtime/greeting-listener.agent.yaml",
        import.meta.url,
      ).pathname,
      pace: 1,
      log: { chunks: "all" },
      beside: true,
    });
    await next(session, "agent.audio");
    const answered = next(session, "agent.transcript.done", (e) => e.kind !== "greeting");
    session.appendAudio(speechAudio("what time is breakfast", { silenceAfterMs: 600 }));
    await answered;
    await session.close();
    await log.close();
    const { events } = await readSessionLog(log.file);
    const from = events[0]?.seq ?? 0;
    const emitted = all.filter((e) => e.seq >= from);
    const read = events.filter((e) => e.type !== "log.chunks") as StreamEvent[];
    for (const type of ["interrupted", "user.speech.started", "user.speech.stopped", "latency"])
      expect(
        read.some((e) => e.type === type),
        type,
      ).toBe(true);
    // The whole stream, each event where it was emitted (a log keeps no audio: an agent.audio says its ms).
    const shown = (e: StreamEvent) => {
      if (e.type !== "agent.audio") return said(e);
      const { audio: _audio, ...rest } = e as StreamEvent & { audio?: unknown };
      return said(rest as StreamEvent);
    };
    expect(read.map(shown)).toEqual(emitted.map(shown));
  });

  it("costs the session nothing when only the log listens: the events are not built, and get no seq", async () => {
    const { log } = await recorded({}, false);
    const { events } = await readSessionLog(log.file);
    const lines = events.filter((e) => !DERIVED_EVENTS.has(e.type));
    const counted = lines.reduce((n, e) => n + (e.type === "log.chunks" ? e.count : 0), 0);
    // No seq went to an event nobody took: the seqs missing are the protocol chunks counted.
    expect((lines.at(-1)?.seq ?? 0) - lines.length).toBe(counted);
    expect(events.some((e) => e.type === "agent.transcript.done" && e.kind === "answer")).toBe(
      true,
    );
  });

  it("writes a line's sessionId only when it changes, and reads each event with the session's", async () => {
    const { log, all } = await recorded({}, true);
    const { events } = await readSessionLog(log.file);
    const given = new Map(all.map((e) => [`${e.seq} ${e.type}`, e.sessionId]));
    const lines = events.filter((e) => !DERIVED_EVENTS.has(e.type) && e.type !== "log.chunks");
    expect(lines.length).toBeGreaterThan(20);
    for (const e of lines)
      expect(e.sessionId, `${e.seq} ${e.type}`).toBe(given.get(`${e.seq} ${e.type}`));
    expect(new Set(lines.map((e) => e.sessionId)).has("")).toBe(false);
    // Only the log listening: the frames' lines carry it when it changes (the first line, session.created).
    const alone = await recorded({}, false);
    const text = readFileSync(alone.log.file, "utf8").trim().split("\n").slice(1);
    const carrying = text.filter((line) => /"sessionId":"[^"]*","seq":\d+\}$/.test(line));
    // (and lines serialised from an event object: a frame redaction changed, a payload not plain JSON).
    expect(carrying.length).toBeGreaterThan(0);
    expect(carrying.length).toBeLessThan(text.length / 5);
    const read = await readSessionLog(alone.log.file);
    expect(read.events.every((e) => typeof e.sessionId === "string")).toBe(true);
    expect(read.events.at(-1)?.sessionId).toMatch(/^sess_/);
  });

  it("writes a usage line without the response's usage and counts, and reads it back as the session emitted it", async () => {
    const { log, usages } = await recorded({}, false);
    const text = readFileSync(log.file, "utf8");
    const written = text.split("\n").filter((line) => line.includes('"type":"usage"'));
    expect(written.length).toBe(usages.length);
    for (const line of written) expect(Object.keys(JSON.parse(line))).not.toContain("tokens");
    const { events } = await readSessionLog(log.file);
    const read = events
      .filter((e) => e.type === "usage")
      .map(({ type: _t, at: _a, seq: _s, sessionId: _i, ...rest }) => rest);
    expect(usages.length).toBeGreaterThan(1);
    expect(JSON.stringify(read)).toBe(JSON.stringify(usages));
  });

  it("reads a version 3 log, every line with its sessionId, as written", async () => {
    const { log } = await recorded({}, false);
    const [head, ...rest] = readFileSync(log.file, "utf8").split("\n");
    const v3 = join(log.file, "..", "v3.jsonl");
    // A version-3 writer wrote each line's sessionId: one left out then stays out.
    const lines = rest
      .filter(Boolean)
      .map((line) => ({ sessionId: "sess_v3", ...JSON.parse(line) }));
    delete (lines[lines.length - 1] as { sessionId?: string }).sessionId;
    writeFileSync(
      v3,
      [
        JSON.stringify({ ...JSON.parse(head as string), version: 3 }),
        ...lines.map((l) => JSON.stringify(l)),
      ].join("\n"),
    );
    const { header, events } = await readSessionLog(v3);
    expect(header.version).toBe(3);
    expect(events.at(-1)?.sessionId).toBeUndefined();
    expect(events.at(-2)?.sessionId).toBeDefined();
    expect(events.some((e) => DERIVED_EVENTS.has(e.type))).toBe(true);
  });

  it("reads a version 2 log as written: nothing is derived", async () => {
    const { log } = await recorded({}, false);
    const [head, ...rest] = readFileSync(log.file, "utf8").split("\n");
    const v2 = join(log.file, "..", "v2.jsonl");
    writeFileSync(
      v2,
      [JSON.stringify({ ...JSON.parse(head as string), version: 2 }), ...rest].join("\n"),
    );
    const { header, events } = await readSessionLog(v2);
    expect(header.version).toBe(2);
    expect(events.some((e) => DERIVED_EVENTS.has(e.type))).toBe(false);
    expect(events.length).toBe(rest.filter(Boolean).length);
  });
});

describe("deriveEvents", () => {
  it("times agent audio by the output format in force: the update sent, then what the server confirms", () => {
    const meta = (seq: number) => ({ at: seq, sessionId: "sess_1", seq });
    const pcmu = { audio: { output: { format: { type: "audio/pcmu" } } } };
    const delta = (seq: number) => ({
      type: "server.event",
      event: {
        type: "response.output_audio.delta",
        response_id: "resp_1",
        item_id: "item_1",
        content_index: 0,
        output_index: 0,
        event_id: `ev_${seq}`,
        // As a log holds an audio delta (no audio): 80 bytes of G.711, 10 ms at 8 bytes a millisecond.
        audioBytes: 80,
      },
      ...meta(seq),
    });
    const events = [
      { type: "client.event", event: { type: "session.update", session: pcmu }, ...meta(1) },
      // The server's session before the update: its own default format, which the session does not read.
      { type: "server.event", event: { type: "session.created", session: {} }, ...meta(2) },
      { type: "server.event", event: { type: "session.updated", session: pcmu }, ...meta(3) },
      { type: "response.started", responseId: "resp_1", kind: "answer", ...meta(4) },
      delta(5),
      // A handoff's update that leaves the format out keeps G.711.
      { type: "server.event", event: { type: "session.updated", session: {} }, ...meta(6) },
      delta(7),
    ] as unknown as Parameters<typeof deriveEvents>[0];
    const ms = deriveEvents(events)
      .filter((e) => e.type === "agent.audio")
      .map((e) => (e as { ms: number }).ms);
    expect(ms).toEqual([10, 10]);
  });
});
