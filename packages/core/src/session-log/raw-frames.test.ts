import { readFileSync } from "node:fs";
import { defineModel } from "@parley/local-realtime";
import { describe, expect, it } from "vitest";
import { next } from "../runtime/test-support/harness.ts";
import { DERIVED_EVENTS } from "./derive.ts";
import { readSessionLog } from "./read.ts";
import { loggedSession } from "./test-support.ts";

const TOKEN = "mcp-raw-frame-token-1b2c3d4e5f";
const API_KEY = "sk-proj-RAWFRAMESKEY0123456789abcdefghij";
const SPOKEN = "sk-proj-SPOKENKEY0123456789abcdefghijkl";
const FAILED = "sk-proj-ERRORKEY0123456789abcdefghijklm";

// A model whose words and whose failure carry secrets: they reach the session inside raw server frames over a real
// WebSocket, the frames the session log writes from their text.
const leaky = defineModel({
  name: "leaky",
  respond: (ctx) => {
    if (ctx.items.at(-1)?.text.includes("fail"))
      throw new Error(`upstream refused Authorization: Bearer ${FAILED}`);
    return [{ say: `Your key is ${SPOKEN}, keep it safe.` }];
  },
});

describe("session logs written from raw frames", () => {
  it("redact a secret inside a server frame (the model's words, an error's message) or a sent one (the MCP authorization)", async () => {
    const { log, session } = await loggedSession({ apiKey: API_KEY, token: TOKEN, model: leaky });
    // The protocol as received, unredacted: proof the secrets did cross the socket.
    const received: string[] = [];
    session.on("server.event", (e) => received.push(JSON.stringify(e)));

    const said = next(session, "agent.transcript.done", (e) => e.kind === "answer");
    session.sendText("what is my key?");
    await said;
    const failed = next(session, "error");
    session.sendText("now fail please");
    await failed;
    await session.close();
    await log.close();

    const raw = received.join("\n");
    for (const secret of [SPOKEN, FAILED]) expect(raw, secret).toContain(secret);
    const text = readFileSync(log.file, "utf8");
    for (const secret of [SPOKEN, FAILED, TOKEN, API_KEY])
      expect(text, secret).not.toContain(secret);
    // The frames themselves are in the log, masked where the secret was.
    const { events } = await readSessionLog(log.file);
    const frames = events.flatMap((e) => (e.type === "server.event" ? [e.event] : []));
    const error = frames.find((e) => e.type === "error");
    expect(JSON.stringify(error)).toContain("upstream refused Authorization: [redacted]");
    const words = frames.find((e) => e.type === "response.output_audio_transcript.done");
    expect(words).toMatchObject({ transcript: "Your key is [redacted], keep it safe." });
    // The MCP authorization went out in the session.update the log wrote from the sent text.
    const update = events.find(
      (e) => e.type === "client.event" && e.event.type === "session.update",
    );
    expect(JSON.stringify(update)).toMatch(/"server_label":"crm".*"authorization":"\[redacted\]"/);
    // Nothing lost or reordered by the two ways lines are written: the seqs missing are the chunks counted (the
    // events the reader derives take their protocol event's seq).
    const seqs = events.filter((e) => !DERIVED_EVENTS.has(e.type)).map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const counted = events.reduce((n, e) => n + (e.type === "log.chunks" ? e.count : 0), 0);
    expect((seqs.at(-1) ?? 0) - seqs.length).toBe(counted);
  });
});
