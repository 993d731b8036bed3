import { describe, expect, it } from "vitest";
import { type Json, startTestServer, TestClient } from "../test/harness.ts";
import { silenceAudio, speechAudio } from "./audio/speech-audio.ts";
import { OUTPUT_HIGH_WATER_BYTES } from "./faults.ts";
import { MAX_EVENT_BYTES } from "./limits.ts";
import { defineModel } from "./models/types.ts";

/** The session still serves: a text turn after whatever came before completes. */
async function stillServes(client: TestClient): Promise<void> {
  const done = await client.say("hello", { output_modalities: ["text"] });
  expect(done.response.status).toBe("completed");
}

describe("hostile frames", () => {
  it("answers frames that are JSON but not an object with an error, and keeps serving", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({ output_modalities: ["text"] });
    for (const frame of ["null", "1", '"text"', "[]", "true", "[null]"]) {
      client.ws.send(frame);
      expect((await client.next("error")).error.type).toBe("invalid_request_error");
    }
    await stillServes(client);
    expect(server.sessions).toBe(1);
  });

  it("refuses a session.update with 150,000 unknown fields at once, without overflowing the stack", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({ output_modalities: ["text"] });
    const session: Json = { type: "realtime" };
    for (let i = 0; i < 150_000; i++) session[`f${i}`] = 1;
    client.send({ type: "session.update", event_id: "ev_big", session });
    // Refused from a scan of the raw frame, before parsing it: there is no event_id to echo.
    expect((await client.next("error")).error).toMatchObject({
      type: "invalid_request_error",
      code: "event_too_complex",
    });
    await stillServes(client);
  });

  it("refuses nesting thousands deep", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({ output_modalities: ["text"] });
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    client.ws.send(`{"type":"session.update","session":{"type":"realtime","metadata":${deep}}}`);
    expect((await client.next("error")).error.code).toBe("event_too_complex");
    await stillServes(client);
  });

  it("refuses an event over 15 MiB with invalid_request_error and keeps the session", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({ output_modalities: ["text"] });
    client.send({ type: "input_audio_buffer.append", audio: "A".repeat(MAX_EVENT_BYTES + 4) });
    expect((await client.next("error")).error).toMatchObject({
      type: "invalid_request_error",
      code: "event_too_large",
    });
    await stillServes(client);
  });

  it("accepts a 6 MB+ base64 append (no regex stack overflow) and commits it", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({
      output_modalities: ["text"],
      audio: { input: { turn_detection: null } },
    });
    const audio = Buffer.concat([speechAudio("book a table"), silenceAudio(100_000)]);
    const base64 = audio.toString("base64");
    expect(base64.length).toBeGreaterThan(6_000_000);
    client.send({ type: "input_audio_buffer.append", audio: base64 });
    client.send({ type: "input_audio_buffer.commit" });
    expect((await client.next("input_audio_buffer.committed")).item_id).toBeTruthy();
    expect(client.events.filter((e) => e.type === "error")).toEqual([]);
  });
});

describe("output backpressure", () => {
  it("a client that stops reading holds the server to about a megabyte of queued output", async () => {
    // A model with a long answer: eight minutes of audio, ~30 MB of deltas at pace 0 (as fast as possible).
    const long = "word ".repeat(1600);
    let client: TestClient | undefined;
    let peak = 0;
    let resumed = false;
    const server = await startTestServer({
      model: defineModel({ name: "talker", respond: () => [{ say: long }] }),
      onServerEvent: () => {
        const queued = server.bufferedBytes;
        peak = Math.max(peak, queued);
        // Once the socket is full and ws queues output, the client starts reading again.
        if (!resumed && queued > OUTPUT_HIGH_WATER_BYTES / 2 && client) {
          resumed = true;
          setImmediate(() => client?.ws.resume());
        }
      },
    });
    client = await TestClient.connect(server.url);
    await client.configure();
    client.ws.pause();
    client.send({ type: "response.create" });
    const done = await client.next("response.done", () => true, 60_000);
    expect(done.response.status).toBe("completed");
    expect(resumed).toBe(true);
    // One audio and one transcript delta may follow the last check of the mark.
    expect(peak).toBeLessThan(OUTPUT_HIGH_WATER_BYTES + 64 * 1024);
  });

  it("answers a megabyte of user text with a short answer, not hours of audio", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure();
    const done = await client.say("tell me ".repeat(130_000));
    const transcript = done.response.output[0].content[0].transcript as string;
    expect(transcript.length).toBeLessThan(400);
  });
});
