import { describe, expect, it } from "vitest";
import { startTestServer, TestClient } from "../../test/harness.ts";
import { speechAudio } from "../audio/speech-audio.ts";

const userText = (text: string, id?: string) => ({
  type: "message",
  role: "user",
  ...(id ? { id } : {}),
  content: [{ type: "input_text", text }],
});
// A 1×1 PNG as a data URL.
const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("conversation items", () => {
  it("orders items by previous_item_id (root, mid-conversation, end) and reports the neighbour", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({ type: "conversation.item.create", item: userText("a", "item_a") });
    expect((await client.next("conversation.item.added")).previous_item_id).toBeNull();
    client.send({ type: "conversation.item.create", item: userText("c", "item_c") });
    expect((await client.next("conversation.item.added")).previous_item_id).toBe("item_a");
    client.send({
      type: "conversation.item.create",
      previous_item_id: "item_a",
      item: userText("b", "item_b"),
    });
    expect((await client.next("conversation.item.added")).previous_item_id).toBe("item_a");
    client.send({
      type: "conversation.item.create",
      previous_item_id: "root",
      item: userText("first", "item_0"),
    });
    expect((await client.next("conversation.item.added")).previous_item_id).toBeNull();
    client.send({
      type: "conversation.item.create",
      previous_item_id: "item_nope",
      event_id: "e9",
      item: userText("x"),
    });
    expect((await client.next("error")).error).toMatchObject({
      code: "item_not_found",
      param: "previous_item_id",
      event_id: "e9",
    });
    // The model sees them in that order: it answers the last user item, "c".
    client.send({
      type: "session.update",
      session: { type: "realtime", output_modalities: ["text"] },
    });
    client.send({ type: "response.create" });
    const done = await client.next("response.done");
    expect(done.response.output[0].content[0].text).toBe(
      "I understand: c. How can I help with that?",
    );
    const added = client.events.find(
      (e) => e.type === "conversation.item.added" && e.item.role === "assistant",
    );
    expect(added?.previous_item_id).toBe("item_c");
  });

  it("retrieves and deletes items, with errors for unknown ids", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({ type: "conversation.item.create", item: userText("hi", "item_x") });
    client.send({ type: "conversation.item.retrieve", item_id: "item_x" });
    const retrieved = await client.next("conversation.item.retrieved");
    expect(retrieved.item).toMatchObject({
      id: "item_x",
      object: "realtime.item",
      status: "completed",
      content: [{ type: "input_text", text: "hi" }],
    });
    client.send({ type: "conversation.item.delete", item_id: "item_x" });
    expect((await client.next("conversation.item.deleted")).item_id).toBe("item_x");
    client.send({ type: "conversation.item.retrieve", item_id: "item_x" });
    expect((await client.next("error")).error.code).toBe("item_retrieve_invalid_item_id");
    client.send({ type: "conversation.item.create", item: userText("dup", "item_y") });
    client.send({ type: "conversation.item.create", item: userText("dup", "item_y") });
    expect((await client.next("error")).error.code).toBe("item_already_exists");
  });

  it("truncates assistant audio to what was played, removing the server-side transcript", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({
      type: "response.create",
      response: { instructions: 'Say exactly: "Twenty characters ok"' },
    });
    const done = await client.next("response.done");
    const item = done.response.output[0];
    // 20 characters → 1200 ms of audio; the user heard half.
    client.send({
      type: "conversation.item.truncate",
      item_id: item.id,
      content_index: 0,
      audio_end_ms: 600,
    });
    expect(await client.next("conversation.item.truncated")).toMatchObject({
      item_id: item.id,
      content_index: 0,
      audio_end_ms: 600,
    });
    client.send({ type: "conversation.item.retrieve", item_id: item.id });
    // The API deletes the transcript so no text the user did not hear stays in the context.
    expect((await client.next("conversation.item.retrieved")).item.content[0].transcript).toBe("");
    client.send({
      type: "conversation.item.truncate",
      item_id: item.id,
      content_index: 0,
      audio_end_ms: 5000,
    });
    expect((await client.next("error")).error.param).toBe("audio_end_ms");
  });

  it("accepts image input and counts its tokens", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({ instructions: "" });
    client.send({
      type: "conversation.item.create",
      item: {
        type: "message",
        role: "user",
        content: [
          { type: "input_image", image_url: PNG, detail: "low" },
          { type: "input_text", text: "what is this" },
        ],
      },
    });
    client.send({ type: "response.create" });
    const done = await client.next("response.done");
    expect(done.response.usage.input_token_details.image_tokens).toBe(85);
  });
});

describe("interruption", () => {
  it("handles response.cancel and truncate sent together, as clients do when the user barges in", async () => {
    const server = await startTestServer({ pace: 1 });
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({
      type: "response.create",
      response: {
        instructions:
          'Say exactly: "A long answer that the caller will interrupt after a moment or two."',
      },
    });
    const first = await client.next("response.output_audio.delta");
    await client.next("response.output_audio.delta");
    // Both in one breath: the item is still streaming when the truncate arrives.
    client.send({ type: "response.cancel" });
    client.send({
      type: "conversation.item.truncate",
      item_id: first.item_id,
      content_index: 0,
      audio_end_ms: 100,
    });
    await client.next("conversation.item.truncated");
    const done = await client.next("response.done");
    expect(done.response.status).toBe("cancelled");
    client.send({ type: "conversation.item.retrieve", item_id: first.item_id });
    const item = (await client.next("conversation.item.retrieved")).item;
    expect(item.status).toBe("incomplete");
    expect("A long answer".startsWith(item.content[0].transcript)).toBe(true);
  });
});

describe("client-created audio items", () => {
  it("are heard through the text they carry, and transcribed when transcription is on", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({
      audio: { input: { transcription: { model: "gpt-4o-transcribe" } } },
    });
    const audio = speechAudio("thank you so much").toString("base64");
    client.send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content: [{ type: "input_audio", audio }] },
    });
    const completed = await client.next("conversation.item.input_audio_transcription.completed");
    expect(completed).toMatchObject({ content_index: 0, transcript: "thank you so much" });
    client.send({ type: "response.create" });
    const done = await client.next("response.done");
    expect(done.response.output[0].content[0].text).toBe(
      "You're welcome! Is there anything else I can help with?",
    );
    // 100 + 1020 + 700 ms of audio → 19 tokens at one per 100 ms.
    expect(done.response.usage.input_token_details.audio_tokens).toBe(19);
  });
});
