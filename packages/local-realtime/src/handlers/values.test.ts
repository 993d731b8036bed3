import { describe, expect, it } from "vitest";
import { startTestServer, TestClient } from "../../test/harness.ts";
import { speechAudio } from "../audio/speech-audio.ts";

async function connected(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer(options);
  const client = await TestClient.connect(server.url);
  await client.next("session.created");
  return client;
}

describe("values the schema allows but the API refuses", () => {
  it("refuses an unknown voice name in session.update and response.create; accepts a built-in one", async () => {
    const client = await connected();
    client.send({
      type: "session.update",
      event_id: "ev_voice",
      session: { type: "realtime", audio: { output: { voice: "robot" } } },
    });
    expect((await client.next("error")).error).toEqual({
      type: "invalid_request_error",
      code: "invalid_value",
      message:
        "Invalid value: 'robot'. Supported values are: 'alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', and 'cedar'.",
      param: "session.audio.output.voice",
      event_id: "ev_voice",
    });
    client.send({
      type: "response.create",
      event_id: "ev_rvoice",
      response: { audio: { output: { voice: "Marin" } } },
    });
    expect((await client.next("error")).error).toMatchObject({
      code: "invalid_value",
      param: "response.audio.output.voice",
      event_id: "ev_rvoice",
    });
    // Nothing was applied or started by the refused events.
    expect(client.types()).not.toContain("session.updated");
    expect(client.types()).not.toContain("response.created");
    client.send({
      type: "session.update",
      session: { type: "realtime", audio: { output: { voice: "cedar" } } },
    });
    expect((await client.next("session.updated")).session.audio.output.voice).toBe("cedar");
  });

  it("refuses two output modalities (the API takes exactly one)", async () => {
    const client = await connected();
    client.send({
      type: "session.update",
      event_id: "ev_mod",
      session: { type: "realtime", output_modalities: ["audio", "text"] },
    });
    expect((await client.next("error")).error).toMatchObject({
      type: "invalid_request_error",
      code: "array_above_max_length",
      param: "session.output_modalities",
      event_id: "ev_mod",
    });
    client.send({
      type: "response.create",
      event_id: "ev_rmod",
      response: { output_modalities: ["text", "audio"] },
    });
    expect((await client.next("error")).error).toMatchObject({
      param: "response.output_modalities",
      event_id: "ev_rmod",
    });
    client.send({
      type: "session.update",
      session: { type: "realtime", output_modalities: ["text"] },
    });
    expect((await client.next("session.updated")).session.output_modalities).toEqual(["text"]);
  });

  it("refuses max_output_tokens above 4096 or below 1; accepts 4096 and inf", async () => {
    const client = await connected();
    client.send({
      type: "session.update",
      event_id: "ev_max",
      session: { type: "realtime", max_output_tokens: 5000 },
    });
    expect((await client.next("error")).error).toEqual({
      type: "invalid_request_error",
      code: "integer_above_max_value",
      message:
        "Invalid 'session.max_output_tokens': integer above maximum value. Expected a value <= 4096, but got 5000 instead.",
      param: "session.max_output_tokens",
      event_id: "ev_max",
    });
    client.send({
      type: "response.create",
      event_id: "ev_zero",
      response: { max_output_tokens: 0 },
    });
    expect((await client.next("error")).error).toMatchObject({
      code: "integer_below_min_value",
      param: "response.max_output_tokens",
      event_id: "ev_zero",
    });
    for (const max of [4096, "inf"]) {
      client.send({
        type: "session.update",
        session: { type: "realtime", max_output_tokens: max },
      });
      expect((await client.next("session.updated")).session.max_output_tokens).toBe(max);
    }
  });

  it("refuses audio that is not base64, and keeps the buffer as it was", async () => {
    const client = await connected();
    client.send({
      type: "session.update",
      session: { type: "realtime", audio: { input: { turn_detection: null } } },
    });
    await client.next("session.updated");
    const good = speechAudio("book a table for two").toString("base64");
    for (const bad of ["not base64!", "abc", `${good.slice(0, 8)}*${good.slice(9)}`]) {
      client.send({ type: "input_audio_buffer.append", event_id: "ev_audio", audio: bad });
      expect((await client.next("error")).error).toEqual({
        type: "invalid_request_error",
        code: "invalid_value",
        message:
          "Invalid 'audio'. Expected base64-encoded audio bytes (mono PCM16 at 24kHz) but got an invalid value.",
        param: "audio",
        event_id: "ev_audio",
      });
    }
    client.send({ type: "input_audio_buffer.append", audio: good });
    client.send({ type: "input_audio_buffer.commit" });
    const committed = await client.next("conversation.item.done");
    expect(committed.item.role).toBe("user");
    client.send({ type: "response.create", response: { output_modalities: ["text"] } });
    const done = await client.next("response.done");
    expect(done.response.output[0].content[0].text).toContain("book a table for two");
  });
});

describe("conversation.item.truncate, as the API answers it", () => {
  it("truncates an answer still streaming; refuses items without model audio; clamps a cut past the end", async () => {
    const server = await startTestServer({ pace: 0.2, audioPace: 1 });
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({
      type: "response.create",
      response: {
        instructions: 'Say exactly: "A fairly long answer that keeps streaming for a while."',
      },
    });
    const first = await client.next("response.output_audio.delta");
    await client.next("response.output_audio.delta");
    // While the response still streams, a truncate is applied (the response goes on).
    client.send({
      type: "conversation.item.truncate",
      item_id: first.item_id,
      content_index: 0,
      audio_end_ms: 100,
    });
    expect(
      await client.next("conversation.item.truncated", (e) => e.audio_end_ms === 100),
    ).toBeTruthy();
    const done = await client.next("response.done", () => true, 10_000);
    expect(done.response.status).toBe("completed");
    // The conversation keeps what was heard up to the cut, not the rest of the stream.
    client.send({ type: "conversation.item.retrieve", item_id: first.item_id });
    const kept = (await client.next("conversation.item.retrieved")).item.content[0].transcript;
    expect(kept.length).toBeLessThan(10);
    expect("A fairly long answer".startsWith(kept)).toBe(true);

    // A text answer has no audio to cut (nor has an answer whose audio has not started).
    client.send({
      type: "response.create",
      response: { output_modalities: ["text"], instructions: 'Say exactly: "In text."' },
    });
    const text = (await client.next("response.done")).response.output[0];
    client.send({
      type: "conversation.item.truncate",
      event_id: "ev_text",
      item_id: text.id,
      content_index: 0,
      audio_end_ms: 0,
    });
    expect((await client.next("error", (e) => e.error.event_id === "ev_text")).error).toEqual({
      type: "invalid_request_error",
      code: "unsupported_content_type",
      message: "Only model output audio messages can be truncated",
      param: null,
      event_id: "ev_text",
    });
    // Nor can a user item.
    client.send({
      type: "conversation.item.create",
      item: {
        type: "message",
        role: "user",
        id: "item_u",
        content: [{ type: "input_text", text: "hi" }],
      },
    });
    await client.next("conversation.item.added");
    client.send({
      type: "conversation.item.truncate",
      event_id: "ev_user",
      item_id: "item_u",
      content_index: 0,
      audio_end_ms: 0,
    });
    expect((await client.next("error", (e) => e.error.event_id === "ev_user")).error.code).toBe(
      "unsupported_content_type",
    );
    // Past the end: refused with the API's message, then cut at the audio's end anyway.
    client.send({
      type: "conversation.item.truncate",
      event_id: "ev_past",
      item_id: first.item_id,
      content_index: 0,
      audio_end_ms: 60_000,
    });
    expect((await client.next("error", (e) => e.error.event_id === "ev_past")).error).toMatchObject(
      {
        code: "invalid_value",
        message: "Audio content of 100ms is already shorter than 60000ms",
        param: "audio_end_ms",
      },
    );
    expect((await client.next("conversation.item.truncated")).audio_end_ms).toBe(100);
  });
});
