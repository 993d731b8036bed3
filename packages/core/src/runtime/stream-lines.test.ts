import { describe, expect, it } from "vitest";
import type { Clock } from "../clock/index.ts";
import { rememberEnvSecret } from "../log/redact.ts";
import { EventStream, STREAM_LINES, type StreamEventType } from "./event-stream.ts";
import { payloadMember, protocolMember } from "./stream-lines.ts";

/** One stream with a line listener only (the session log's path), one with an object listener (the ordinary path). */
function streams() {
  const lines: string[] = [];
  let said: unknown;
  /** A line as readSessionLog reads it: a line without `sessionId` (format 4) has the one written before it. */
  const read = (line: string) => {
    const event = JSON.parse(line) as Record<string, unknown>;
    if (event.sessionId === undefined) return JSON.stringify({ ...event, sessionId: said });
    said = event.sessionId;
    return line;
  };
  const objects: unknown[] = [];
  const clock = { now: () => 1234.5678 } as unknown as Clock; // only `now` is read
  const failed = (error: unknown) => {
    throw error;
  };
  const byLine = new EventStream(clock, {
    sessionId: () => "sess_lines",
    streamListenerFailed: failed,
  });
  byLine.subscribe(Object.assign(() => {}, { [STREAM_LINES]: (line: string) => lines.push(line) }));
  const byObject = new EventStream(clock, {
    sessionId: () => "sess_lines",
    streamListenerFailed: failed,
  });
  byObject.subscribe((e) => objects.push(e));
  return {
    /** Pushes a protocol event as the session does (its frame text first), then returns the two results. */
    frame(type: "server.event" | "client.event", text: string) {
      const event = JSON.parse(text) as Record<string, unknown>;
      byLine.frameText(event, text);
      byLine.push(type, event);
      byObject.push(type, JSON.parse(text));
      return { line: read(lines.at(-1) as string), object: json(objects.at(-1)) };
    },
    payload(type: StreamEventType, payload: unknown) {
      byLine.push(type, payload);
      byObject.push(type, payload);
      return { line: read(lines.at(-1) as string), object: json(objects.at(-1)) };
    },
  };
}

/** What the log wrote before: the event object, serialised. */
const json = (value: unknown) => JSON.parse(JSON.stringify(value));

const AUDIO = Buffer.alloc(4800, 7).toString("base64");
const delta = (extra: Record<string, unknown> = {}, audio = AUDIO) =>
  JSON.stringify({
    type: "response.output_audio.delta",
    event_id: "event_9",
    response_id: "resp_1",
    item_id: "item_1",
    output_index: 0,
    content_index: 0,
    ...extra,
    delta: audio,
  });

describe("the event stream as JSON lines (session logs)", () => {
  it("writes protocol events from their frame text, line for line what the event object serialises to", () => {
    const s = streams();
    const frames = [
      delta(),
      // The audio not last, not first, and padded.
      `{"delta":"${AUDIO.slice(0, 98)}==","type":"response.output_audio.delta","item_id":"item_1"}`,
      `{"type":"response.output_audio.delta","delta":"${AUDIO}","item_id":"item_1","content_index":0}`,
      JSON.stringify({ type: "input_audio_buffer.append", audio: AUDIO }),
      JSON.stringify({
        type: "response.output_audio_transcript.delta",
        item_id: "item_1",
        delta: "Breakfast is served from 7:00 — «à volonté» 🍳",
      }),
      JSON.stringify({
        type: "response.done",
        response: { id: "resp_1", output: [{ a: [1, 2.5, null, true] }] },
      }),
      // Whitespace between tokens, a line break included: written again, on one line.
      '{ "type" : "rate_limits.updated",\n "rate_limits" : [] }',
      // Escapes in the audio and in the text: the ordinary path.
      delta({}, `${AUDIO.slice(0, 40)}\\/${AUDIO.slice(40)}`),
      '{"type":"conversation.item.added","item":{"id":"item_\\u0032","text":"say \\"hi\\""}}',
    ];
    for (const text of frames) {
      const { line, object } = s.frame("server.event", text);
      expect(JSON.parse(line), text.slice(0, 80)).toEqual(object);
      expect(line).not.toContain("\n");
    }
    // Audio is never copied into a line.
    for (const text of frames.slice(0, 4))
      expect(s.frame("client.event", text).line).not.toMatch(/[A-Za-z0-9+/]{64}/);
  });

  it("takes the frame text only when redaction would change nothing, and audio is cut without reading it", () => {
    expect(protocolMember(JSON.parse(delta()), delta())).toBeDefined();
    const spaced = delta().replace('"delta":"', '"delta": "');
    expect(protocolMember(JSON.parse(spaced), spaced)).toBeUndefined();
    const secret = delta({ note: "Bearer abcdefgh12345678" });
    expect(protocolMember(JSON.parse(secret), secret)).toBeUndefined();
    const nested = delta({ extra: { delta: "x" } });
    expect(protocolMember(JSON.parse(nested), nested)).toBeUndefined();
  });

  it("never writes a secret a raw server frame carries: error text, an MCP header echo, keys, cards, env values", () => {
    rememberEnvSecret("opaque-env-value-5521");
    const s = streams();
    const frames = [
      JSON.stringify({
        type: "error",
        error: {
          type: "invalid_request_error",
          message: "upstream said Authorization: Bearer sk-proj-RAWFRAME0123456789abcdefgh",
          param: null,
        },
      }),
      JSON.stringify({
        type: "session.updated",
        session: {
          tools: [
            {
              type: "mcp",
              server_label: "crm",
              headers: {
                Authorization: "Bearer mcp-header-echo-77aa",
                "X-Tenant": "opaque-env-value-5521",
              },
            },
          ],
        },
      }),
      // A secret key spelled with a space, a card as a number and in an exponent, a secret behind a JSON escape.
      '{"type":"x","data":{"API KEY":"plainvalue-0099"},"card":4111111111111111,"c2":4.111111111111111e15}',
      '{"type":"x","text":"key sk\\u002dproj-ESCAPED0123456789abcdefgh"}',
      delta({ item_id: "AKIAQWERTYUIOPASDFG1" }),
    ];
    const written = frames.map((text) => {
      const { line, object } = s.frame("server.event", text);
      expect(JSON.parse(line)).toEqual(object);
      return line;
    });
    const all = written.join("\n");
    for (const secret of [
      "sk-proj-RAWFRAME0123456789abcdefgh",
      "mcp-header-echo-77aa",
      "opaque-env-value-5521",
      "plainvalue-0099",
      "4111111111111111",
      "4.111111111111111e15",
      "ESCAPED0123456789",
      "AKIAQWERTYUIOPASDFG1",
    ])
      expect(all, secret).not.toContain(secret);
    expect(all).toContain('"server_label":"crm"');
  });

  it("writes flat payloads member by member as redact would, and leaves the rest to the ordinary path", () => {
    const s = streams();
    const payloads: Array<[StreamEventType, unknown]> = [
      [
        "agent.audio",
        {
          itemId: "item_1",
          responseId: "resp_1",
          kind: "answer",
          audio: Buffer.alloc(480),
          ms: 10,
        },
      ],
      [
        "agent.transcript.delta",
        { itemId: "i", responseId: "r", kind: "answer", delta: 'say "hi"\n\u2028' },
      ],
      [
        "response.done",
        {
          responseId: "r",
          kind: "answer",
          origin: "client",
          status: "completed",
          costUsd: undefined,
        },
      ],
      [
        "warning",
        { code: "x", message: "token=abcdef123456 and 4111 1111 1111 1111", ok: true, n: null },
      ],
      [
        "warning",
        { code: "x", apiKey: "plain", pin: 1234, count: Number.NaN, big: 4111111111111111 },
      ],
      ["item.added", { item: { id: "i", text: "Bearer abcdefgh12345678" } }],
      ["user.turn", { turn: 3, type: "shadowed" }],
      ["idle", undefined],
    ];
    for (const [type, payload] of payloads) {
      const { line, object } = s.payload(type, payload);
      expect(JSON.parse(line), type).toEqual(object);
    }
    expect(payloadMember("warning", { at: new URL("https://example.com") })).toBeUndefined();
    expect(payloadMember("warning", { where: new URL("https://example.com") })).toBeUndefined();
    expect(s.payload("warning", { message: "Bearer abcdefgh12345678" }).line).toContain(
      "[redacted]",
    );
  });

  it("with object listeners too (agent dev, an app's onEvent), writes clean frames from their text and masks the rest", () => {
    rememberEnvSecret("both-listeners-env-7731");
    const lines: string[] = [];
    const objects: unknown[] = [];
    const clock = { now: () => 99.5 } as unknown as Clock;
    const stream = new EventStream(clock, {
      sessionId: () => "sess_both",
      streamListenerFailed: (error) => {
        throw error;
      },
    });
    stream.subscribe((e) => objects.push(e));
    stream.subscribe(
      Object.assign(() => {}, { [STREAM_LINES]: (line: string) => lines.push(line) }),
    );
    const frames = [
      // Spaces between tokens: kept only when the line is the frame's own text.
      '{ "type" : "response.output_audio_transcript.delta", "item_id" : "item_1", "delta" : "Hi «there»" }',
      delta(),
      JSON.stringify({
        type: "error",
        error: { message: "Authorization: Bearer sk-proj-BOTH0123456789abcdefgh" },
      }),
      JSON.stringify({
        type: "x",
        headers: { "X-Tenant": "both-listeners-env-7731" },
        card: 4111111111111111,
      }),
      '{"type":"x","text":"key sk\\u002dproj-BOTHESCAPED0123456789abcd"}',
    ];
    for (const text of frames) {
      const event = JSON.parse(text) as Record<string, unknown>;
      stream.frameText(event, text);
      stream.push("server.event", event);
      // Format 4: the frame text's lines carry the sessionId only when it changes (the first line); the ones
      // serialised from the event object have it anyway. The reader carries it on.
      const line = JSON.parse(lines.at(-1) as string);
      if (lines.length === 1) expect(line.sessionId).toBe("sess_both");
      expect({ ...line, sessionId: "sess_both" }, text.slice(0, 60)).toEqual(json(objects.at(-1)));
    }
    expect(lines[1]).not.toContain('"sessionId"');
    expect(lines[0]).toContain('"type" : "response.output_audio_transcript.delta"');
    expect(lines[1]).toContain('"audioBytes":4800');
    expect(lines[1]).not.toMatch(/[A-Za-z0-9+/]{64}/);
    const all = lines.join("\n");
    for (const secret of [
      "sk-proj-BOTH0123456789",
      "both-listeners-env-7731",
      "4111111111111111",
      "BOTHESCAPED",
    ])
      expect(all, secret).not.toContain(secret);
    expect(JSON.stringify(objects)).not.toContain("both-listeners-env-7731");
  });
});
