import { readFileSync } from "node:fs";
import { defineModel } from "@parley/local-realtime";
import { describe, expect, it } from "vitest";
import { streamTime } from "../log/redacted-json.ts";
import type { StreamEvent } from "../runtime/event-stream.ts";
import { base64Length } from "../runtime/stream-lines.ts";
import { next } from "../runtime/test-support/harness.ts";
import { DERIVED_EVENTS } from "./derive.ts";
import type { SessionLogEvent } from "./format.ts";
import { readSessionLog } from "./read.ts";
import { loggedSession } from "./test-support.ts";
import type { SessionLogOptions } from "./writer.ts";

const TOKEN = "mcp-chunks-token-7a6b5c4d3e2f";
const API_KEY = "sk-proj-CHUNKSKEY0123456789abcdefghijkl";
const SPOKEN = "sk-proj-CHUNKSPOKEN0123456789abcdefghij";
const OUTPUT = "sk-proj-OUTPUTKEY0123456789abcdefghijklmnop";

// Says a secret in the middle of a long answer: its words are transcript deltas after the first.
const chatty = defineModel({
  name: "chatty",
  respond: (ctx) =>
    ctx.items.at(-1)?.text.startsWith("/call")
      ? [{ call: { name: "account", arguments: { number: "42" } } }]
      : [
          {
            say: `Sure, let me read it out slowly for you. The backup key is ${SPOKEN} and you should keep it somewhere safe and private, away from anyone else who might ask.`,
          },
        ],
});

async function logged(options: Partial<SessionLogOptions>, pace = 0) {
  // Every event as the stream numbers it (`all`): what the log must account for, line by line or counted.
  const { log, session, all } = await loggedSession({
    apiKey: API_KEY,
    token: TOKEN,
    model: chatty,
    pace,
    log: options,
    beside: true,
  });
  // Each part's chunk sizes as said (the stream's copies are redacted: a masked secret is shorter).
  const sizes = new Map<string, number[]>();
  const add = (key: string, n: number) => sizes.set(key, [...(sizes.get(key) ?? []), n]);
  session.on("server.event", (e) => {
    if (!e.type.endsWith(".delta")) return;
    const d = e as { item_id: string; content_index?: number; delta: string };
    const n = e.type === "response.output_audio.delta" ? base64Length(d.delta) : d.delta.length;
    add(`${e.type}|${d.item_id}|${d.content_index ?? ""}`, n);
  });
  session.on("agent.audio", (e) => add(`agent.audio|${e.itemId}|`, e.audio.byteLength));
  session.on("agent.transcript.delta", (e) =>
    add(`agent.transcript.delta|${e.itemId}|`, e.delta.length),
  );
  return { log, session, all, sizes };
}

/** The streamed parts of a session: the key, then its chunks in order. */
function parts(events: readonly StreamEvent[]): Map<string, StreamEvent[]> {
  const out = new Map<string, StreamEvent[]>();
  const add = (key: string, e: StreamEvent) => out.set(key, [...(out.get(key) ?? []), e]);
  for (const e of events) {
    if (e.type === "server.event" && e.event.type.endsWith(".delta"))
      add(`${e.event.type}|${e.event.item_id}|${e.event.content_index ?? ""}`, e);
    else if (e.type === "agent.audio" || e.type === "agent.transcript.delta")
      add(`${e.type}|${e.itemId}|`, e);
  }
  return out;
}

function summaryOf(events: readonly SessionLogEvent[], key: string) {
  const found = events.filter(
    (e) => e.type === "log.chunks" && `${e.of}|${e.item_id}|${e.content_index ?? ""}` === key,
  );
  expect(found.length, key).toBeLessThanOrEqual(1);
  return found[0]?.type === "log.chunks" ? found[0] : undefined;
}

async function toolTurn(session: Awaited<ReturnType<typeof logged>>["session"]) {
  const called = next(session, "tool.output");
  session.sendText('/call account {"number":"42"}');
  await called;
  const said = next(session, "agent.transcript.done", (e) => e.kind === "answer");
  session.sendText("and the backup key?");
  await said;
  await session.close();
}

describe("session logs of streamed parts", () => {
  it("write each part's first chunk and one log.chunks line counting the rest (the default)", async () => {
    const { log, session, all, sizes } = await logged({});
    await toolTurn(session);
    await log.close();
    const { header, events } = await readSessionLog(log.file);
    expect(header.chunks).toBe("first");
    const lines = events.filter((e) => !DERIVED_EVENTS.has(e.type));
    const seqs = new Set(lines.map((e) => e.seq));
    const streamed = parts(all);
    expect([...streamed.keys()].some((k) => k.startsWith("response.output_audio.delta|"))).toBe(
      true,
    );
    expect([...streamed.keys()].some((k) => k.startsWith("agent.audio|"))).toBe(true);
    let summed = 0;
    for (const [key, chunks] of streamed) {
      // Format 3: what one protocol chunk says is no line; the reader makes it from the first chunk's line.
      if (key.startsWith("agent.")) {
        const [type, itemId] = key.split("|");
        const made = events.filter(
          (e) => e.type === type && (e as { itemId?: string }).itemId === itemId,
        );
        expect(made.length, key).toBe(1);
        expect(seqs.has(made[0]?.seq ?? -1), key).toBe(true);
        expect(summaryOf(events, key), key).toBeUndefined();
        continue;
      }
      const [first, ...rest] = chunks as [StreamEvent, ...StreamEvent[]];
      // The first chunk is a line (what "first audio" and the readers look for), no later one is.
      expect(seqs.has(first.seq), key).toBe(true);
      for (const e of rest) expect(seqs.has(e.seq), key).toBe(false);
      const summary = summaryOf(events, key);
      if (!rest.length) {
        expect(summary, key).toBeUndefined();
        continue;
      }
      summed++;
      const said = sizes.get(key) ?? [];
      expect(said.length, key).toBe(chunks.length);
      const gaps = chunks.slice(1).map((e, i) => e.at - (chunks[i] as StreamEvent).at);
      expect(summary, key).toMatchObject({
        count: rest.length,
        first_at: rest[0]?.at,
        last_at: rest.at(-1)?.at,
        // Rounded to the µs, as the stream's times are.
        max_gap_ms: streamTime(Math.max(...gaps)),
        [key.includes("audio.delta|") || key.startsWith("agent.audio|") ? "bytes" : "chars"]: said
          .slice(1)
          .reduce((n, size) => n + size, 0),
      });
      // Ended by its `.done`, which carries the whole text: no text in the summary.
      expect(summary?.text, key).toBeUndefined();
      // Written before the event that ended the part, with a seq of its own after the last chunk.
      expect(summary?.seq ?? 0, key).toBeGreaterThan(rest.at(-1)?.seq ?? 0);
    }
    expect(summed).toBeGreaterThan(2);
    // The tool turn is whole: its arguments and output are lines.
    expect(events.some((e) => e.type === "tool.output")).toBe(true);
    const text = readFileSync(log.file, "utf8");
    for (const secret of [SPOKEN, TOKEN, API_KEY, OUTPUT])
      expect(text, secret).not.toContain(secret);
  });

  it('write every chunk with chunks: "all", as before', async () => {
    const { log, session, all } = await logged({ chunks: "all" });
    await toolTurn(session);
    await log.close();
    const { header, events } = await readSessionLog(log.file);
    expect(header.chunks).toBe("all");
    expect(events.some((e) => e.type === "log.chunks")).toBe(false);
    // Line for line what the stream gave its object listener (the log listens from after the handshake), but the
    // events one protocol event says (format 3: the reader makes them again, with that event's seq).
    const from = events[0]?.seq ?? 0;
    expect(from).toBeGreaterThan(0);
    const written = (e: { type: string }) => !DERIVED_EVENTS.has(e.type);
    expect(events.filter(written).map((e) => `${e.seq} ${e.type}`)).toEqual(
      all.filter((e) => e.seq >= from && written(e)).map((e) => `${e.seq} ${e.type}`),
    );
    for (const type of DERIVED_EVENTS)
      expect(events.filter((e) => e.type === type).length, type).toBe(
        all.filter((e) => e.seq >= from && e.type === type).length,
      );
    const audio = all.filter((e) => e.type === "agent.audio").length;
    expect(audio).toBeGreaterThan(2);
    expect(events.filter((e) => e.type === "agent.audio").length).toBe(audio);
    const text = readFileSync(log.file, "utf8");
    for (const secret of [SPOKEN, TOKEN, API_KEY, OUTPUT])
      expect(text, secret).not.toContain(secret);
  });

  it("keep the unwritten text, redacted, of a part that never got its .done (the session closed mid-answer)", async () => {
    // Real-time pace: the answer is still streaming when the session closes.
    const { log, session, all } = await logged({}, 1);
    const heard: string[] = [];
    const past = new Promise<void>((resolve) =>
      session.on("agent.transcript.delta", (e) => {
        heard.push(e.delta);
        if (heard.join("").includes(`${SPOKEN} and you`)) resolve();
      }),
    );
    session.sendText("what is the backup key?");
    await past;
    await session.close();
    await log.close();
    const { events } = await readSessionLog(log.file);
    expect(all.some((e) => e.type === "agent.transcript.done")).toBe(false);
    const deltas = all.filter((e) => e.type === "agent.transcript.delta");
    // As said (the stream's copies are redacted one by one).
    const unwritten = heard.slice(1, deltas.length).join("");
    expect(unwritten).toContain(SPOKEN);
    const frames = events.filter(
      (e) => e.type === "log.chunks" && e.of === "response.output_audio_transcript.delta",
    );
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({
      item_id: deltas[0]?.itemId,
      count: deltas.length - 1,
      chars: unwritten.length,
      text: unwritten.replace(SPOKEN, "[redacted]"),
    });
    // The first chunk's line, and the agent's event the reader makes from it.
    expect(events.filter((e) => e.type === "agent.transcript.delta")).toHaveLength(1);
    expect(readFileSync(log.file, "utf8")).not.toContain(SPOKEN);
  });
  it("count the microphone's appends after a part's first when the log is all that listens (not emitted at all)", async () => {
    const { log, session } = await loggedSession({ apiKey: API_KEY, token: TOKEN, model: chatty });
    const committed = next(
      session,
      "server.event",
      (e) => e.type === "input_audio_buffer.committed",
    );
    for (let i = 0; i < 10; i++) session.appendAudio(Buffer.alloc(4800 + i * 2));
    session.commitAudio({ respond: false });
    await committed;
    await session.close();
    await log.close();
    const { events } = await readSessionLog(log.file);
    const appends = events.filter(
      (e) => e.type === "client.event" && e.event.type === "input_audio_buffer.append",
    );
    expect(appends).toHaveLength(1);
    expect(appends[0]).toMatchObject({ event: { audioBytes: 4800 } });
    const summary = events.find(
      (e) => e.type === "log.chunks" && e.of === "input_audio_buffer.append",
    );
    expect(summary).toMatchObject({ count: 9, bytes: 9 * 4800 + 2 * 45 });
    // The counted appends took their seqs (the gaps), the summary its own, before the commit's line.
    const commit = events.find(
      (e) => e.type === "client.event" && e.event.type === "input_audio_buffer.commit",
    );
    expect(summary?.seq).toBe((appends[0]?.seq ?? 0) + 10);
    expect(commit?.seq).toBe((summary?.seq ?? 0) + 1);
  });
});
