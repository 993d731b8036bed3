import { describe, expect, it } from "vitest";
import { startTestServer, TestClient } from "../../test/harness.ts";
import { extractTexts } from "./carrier.ts";
import { decodeSamples } from "./formats.ts";
import { audioChunks, silenceAudio, speechAudio } from "./speech-audio.ts";

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

describe("speechAudio", () => {
  it.each(["audio/pcm", "audio/pcmu", "audio/pcma"] as const)(
    "has real energy and carries its text in %s",
    (format) => {
      const audio = speechAudio("book a room for two nights", {
        format,
        silenceBeforeMs: 0,
        silenceAfterMs: 0,
      });
      expect(rms(decodeSamples(format, audio))).toBeGreaterThan(3000);
      expect(extractTexts(audio, format)).toEqual(["book a room for two nights"]);
    },
  );

  it("finds the text again when the audio is split into chunks and joined with silence", () => {
    const joined = Buffer.concat([
      silenceAudio(250),
      ...audioChunks(speechAudio("hello")).map((c) => Buffer.from(c, "base64")),
    ]);
    expect(extractTexts(joined, "audio/pcm")).toEqual(["hello"]);
    expect(extractTexts(silenceAudio(500), "audio/pcm")).toEqual([]);
  });
});

describe("server VAD", () => {
  it("detects speech, commits the user item, transcribes the carried text and answers", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({
      output_modalities: ["text"],
      audio: { input: { transcription: { model: "gpt-4o-transcribe" } } },
    });
    for (const chunk of audioChunks(speechAudio("hello there", { silenceBeforeMs: 500 })))
      client.send({ type: "input_audio_buffer.append", audio: chunk });
    const started = await client.next("input_audio_buffer.speech_started");
    // As the API: the start includes the 300 ms prefix padding (voice begins at 500 ms).
    expect(started.audio_start_ms).toBe(200);
    const stopped = await client.next("input_audio_buffer.speech_stopped");
    // "hello there" is 11 characters → 660 ms of voice from 500 ms; the end includes the 200 ms silence duration.
    expect(stopped.audio_end_ms).toBe(1360);
    expect(stopped.item_id).toBe(started.item_id);
    const committed = await client.next("input_audio_buffer.committed");
    expect(committed.item_id).toBe(started.item_id);
    const transcript = await client.next("conversation.item.input_audio_transcription.completed");
    expect(transcript).toMatchObject({ item_id: started.item_id, transcript: "hello there" });
    const done = await client.next("response.done");
    expect(done.response.output[0].content[0].text).toBe("Hello! How can I help you today?");
    expect(done.response.usage.input_token_details.audio_tokens).toBeGreaterThan(0);
    client.send({ type: "conversation.item.retrieve", item_id: started.item_id });
    const retrieved = await client.next("conversation.item.retrieved");
    expect(retrieved.item.content[0]).toEqual({ type: "input_audio", transcript: "hello there" });
  });

  it("hears speech in G.711 μ-law at 8 kHz", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({
      output_modalities: ["text"],
      audio: { input: { format: { type: "audio/pcmu" } } },
    });
    const audio = speechAudio("thanks a lot", { format: "audio/pcmu" });
    for (const chunk of audioChunks(audio, "audio/pcmu"))
      client.send({ type: "input_audio_buffer.append", audio: chunk });
    const done = await client.next("response.done");
    expect(done.response.output[0].content[0].text).toBe(
      "You're welcome! Is there anything else I can help with?",
    );
  });

  it("ignores audio below the threshold and needs the configured silence to end a turn", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({
      audio: {
        input: {
          turn_detection: { type: "server_vad", threshold: 0.99, silence_duration_ms: 800 },
        },
      },
    });
    // At threshold 0.99 (−10.5 dBFS) the test voice (peaks near −11 dBFS) is too quiet to count as speech.
    for (const chunk of audioChunks(speechAudio("hello")))
      client.send({ type: "input_audio_buffer.append", audio: chunk });
    client.send({
      type: "session.update",
      session: {
        type: "realtime",
        audio: { input: { turn_detection: { type: "server_vad", silence_duration_ms: 800 } } },
      },
    });
    await client.next("session.updated");
    expect(client.types()).not.toContain("input_audio_buffer.speech_started");
    // 700 ms of trailing silence is not enough for 800 ms of silence_duration_ms…
    for (const chunk of audioChunks(speechAudio("hello")))
      client.send({ type: "input_audio_buffer.append", audio: chunk });
    await client.next("input_audio_buffer.speech_started");
    client.send({ type: "input_audio_buffer.clear" });
    await client.next("input_audio_buffer.cleared");
    expect(client.types()).not.toContain("input_audio_buffer.speech_stopped");
    // …100 ms more is.
    client.send({ type: "input_audio_buffer.append", audio: silenceAudio(100).toString("base64") });
    await client.next("input_audio_buffer.speech_stopped");
  });

  it("cancels the response in progress when the user starts talking (interrupt_response)", async () => {
    const server = await startTestServer({ pace: 1 });
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({
      type: "response.create",
      response: {
        instructions:
          'Say exactly: "This is a long answer that the user is going to interrupt halfway through."',
      },
    });
    await client.next("response.output_audio.delta");
    for (const chunk of audioChunks(speechAudio("wait", { silenceAfterMs: 0 })))
      client.send({ type: "input_audio_buffer.append", audio: chunk });
    await client.next("input_audio_buffer.speech_started");
    const done = await client.next("response.done");
    expect(done.response.status_details).toEqual({ type: "cancelled", reason: "turn_detected" });
  });
});

describe("manual commit (turn detection off)", () => {
  it("commits on input_audio_buffer.commit and refuses a buffer under 100 ms", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    const updated = await client.configure({
      output_modalities: ["text"],
      audio: { input: { turn_detection: null } },
    });
    expect(updated.session.audio.input.turn_detection).toBeNull();
    client.send({ type: "input_audio_buffer.append", audio: silenceAudio(50).toString("base64") });
    client.send({ type: "input_audio_buffer.commit", event_id: "c1" });
    expect((await client.next("error")).error).toMatchObject({
      code: "input_audio_buffer_commit_empty",
      event_id: "c1",
    });
    for (const chunk of audioChunks(speechAudio("/call nothing")))
      client.send({ type: "input_audio_buffer.append", audio: chunk });
    client.send({ type: "input_audio_buffer.commit" });
    const committed = await client.next("input_audio_buffer.committed");
    expect(client.types()).not.toContain("input_audio_buffer.speech_started");
    client.send({ type: "response.create" });
    const done = await client.next("response.done");
    expect(done.response.output[0].content[0].text).toBe("I don't have a tool called nothing.");
    expect(committed.item_id).toBeTruthy();
  });
});

describe("idle timeout", () => {
  it("emits timeout_triggered after idle_timeout_ms of silence since the model spoke, and answers", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({
      output_modalities: ["text"],
      audio: { input: { turn_detection: { type: "server_vad", idle_timeout_ms: 5000 } } },
    });
    client.send({
      type: "response.create",
      response: { instructions: 'Say exactly: "Anything else?"' },
    });
    await client.next("response.done");
    for (let i = 0; i < 49; i++)
      client.send({
        type: "input_audio_buffer.append",
        audio: silenceAudio(100).toString("base64"),
      });
    client.send({ type: "input_audio_buffer.append", audio: silenceAudio(99).toString("base64") });
    // A barrier: the server handles events in order, so once this error is back the audio has been processed.
    client.send({ type: "conversation.item.retrieve", item_id: "item_barrier" });
    await client.next("error");
    expect(client.types()).not.toContain("input_audio_buffer.timeout_triggered");
    client.send({ type: "input_audio_buffer.append", audio: silenceAudio(100).toString("base64") });
    const timeout = await client.next("input_audio_buffer.timeout_triggered");
    expect(timeout.audio_end_ms - timeout.audio_start_ms).toBeGreaterThanOrEqual(5000);
    const done = await client.next("response.done");
    expect(done.response.output[0].content[0].text).toBe(
      "Sorry, I didn't catch that. Are you still there?",
    );
  });
});

describe("semantic VAD", () => {
  it("maps eagerness to the silence that ends a turn", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    const vad = (eagerness: string) => ({
      type: "session.update",
      session: {
        type: "realtime",
        output_modalities: ["text"],
        audio: { input: { turn_detection: { type: "semantic_vad", eagerness } } },
      },
    });
    client.send(vad("low"));
    await client.next("session.updated");
    // 300 ms of silence after the words: not enough for "low" (800 ms)…
    for (const chunk of audioChunks(speechAudio("hello", { silenceAfterMs: 300 })))
      client.send({ type: "input_audio_buffer.append", audio: chunk });
    client.send({ type: "conversation.item.retrieve", item_id: "item_barrier" });
    await client.next("error");
    expect(client.types()).toContain("input_audio_buffer.speech_started");
    expect(client.types()).not.toContain("input_audio_buffer.speech_stopped");
    client.send({ type: "input_audio_buffer.clear" });
    // …and plenty for "high" (250 ms).
    client.send(vad("high"));
    await client.next("session.updated");
    for (const chunk of audioChunks(speechAudio("hello", { silenceAfterMs: 300 })))
      client.send({ type: "input_audio_buffer.append", audio: chunk });
    await client.next("input_audio_buffer.speech_stopped");
    expect((await client.next("response.done")).response.status).toBe("completed");
  });
});
