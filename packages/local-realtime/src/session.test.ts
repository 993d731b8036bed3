import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startTestServer, TestClient } from "../test/harness.ts";

describe("sessions", () => {
  it("starts with session.created carrying the full default session", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url, { query: "?model=gpt-realtime-mini" });
    const created = await client.next("session.created");
    expect(created.session).toMatchObject({
      type: "realtime",
      object: "realtime.session",
      model: "gpt-realtime-mini",
      output_modalities: ["audio"],
      audio: {
        input: {
          format: { type: "audio/pcm", rate: 24000 },
          turn_detection: { type: "server_vad" },
        },
        output: { voice: "alloy" },
      },
    });
  });

  it("merges session.update into the session and reports it in session.updated", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({
      type: "session.update",
      session: {
        type: "realtime",
        instructions: "Be brief.",
        audio: { output: { voice: "cedar" } },
      },
    });
    const updated = await client.next("session.updated");
    expect(updated.session.instructions).toBe("Be brief.");
    expect(updated.session.audio.output).toMatchObject({
      voice: "cedar",
      format: { type: "audio/pcm", rate: 24000 },
    });
    expect(updated.session.audio.input.turn_detection.type).toBe("server_vad");
  });

  it("answers an invalid session.update with the API's error shape and leaves the session as it was", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({
      type: "session.update",
      event_id: "evt_1",
      session: { type: "realtime", voice: "cedar" },
    });
    const error = await client.next("error");
    expect(error.error).toEqual({
      type: "invalid_request_error",
      code: "unknown_parameter",
      message: "Unknown parameter: 'session.voice'.",
      param: "session.voice",
      event_id: "evt_1",
    });
    client.send({
      type: "session.update",
      event_id: "evt_2",
      session: { type: "realtime", output_modalities: ["video"] },
    });
    expect((await client.next("error")).error).toMatchObject({
      code: "invalid_value",
      param: "session.output_modalities[0]",
      event_id: "evt_2",
    });
    client.send({ type: "nonsense.event" });
    expect((await client.next("error")).error).toMatchObject({
      code: "invalid_value",
      param: "type",
    });
    client.ws.send("{not json");
    expect((await client.next("error")).error.code).toBe("invalid_json");
  });

  it("refuses to change the voice once the model has spoken", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({ type: "response.create", response: { instructions: 'Say exactly: "Hi."' } });
    await client.next("response.done");
    client.send({
      type: "session.update",
      session: { type: "realtime", audio: { output: { voice: "cedar" } } },
    });
    expect((await client.next("error")).error).toMatchObject({
      code: "cannot_update_voice",
      param: "session.audio.output.voice",
    });
  });
});

describe("connecting", () => {
  it("accepts any key by default, only the configured key when one is set", async () => {
    const server = await startTestServer({ apiKey: "sk-right" });
    // Like the API: the upgrade succeeds, then an error event and a close (3000).
    const wrong = await TestClient.connect(server.url, { key: "sk-wrong" });
    expect((await wrong.next("error")).error.code).toBe("invalid_api_key");
    const client = await TestClient.connect(server.url, { key: "sk-right" });
    await client.next("session.created");
    // Browser-style auth: the key in a subprotocol.
    const ws = new WebSocket(`${server.url}?model=gpt-realtime`, [
      "realtime",
      "openai-insecure-api-key.sk-right",
    ]);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    expect(ws.protocol).toBe("realtime");
    ws.terminate();
  });

  it("answers 404 off /v1/realtime and attaches with ?call_id=", async () => {
    const server = await startTestServer();
    await expect(
      TestClient.connect(server.url.replace("/v1/realtime", "/v1/other")),
    ).rejects.toThrow(/404/);
    // The call must exist and be accepted (a WebRTC call is from the start); an unknown id gets 404.
    await expect(TestClient.connect(server.url, { query: "?call_id=rtc_123" })).rejects.toThrow(
      /404/,
    );
    const { id } = server.calls.create("webrtc");
    const client = await TestClient.connect(server.url, { query: `?call_id=${id}` });
    expect((await client.next("session.created")).session.type).toBe("realtime");
  });

  it("serves wss:// with a generated certificate that a client can trust", async () => {
    const server = await startTestServer({ tls: true });
    expect(server.certificate).toContain("BEGIN CERTIFICATE");
    await expect(TestClient.connect(server.url)).rejects.toThrow(/self.signed|certificate/i);
    const client = await TestClient.connect(server.url, { ca: server.certificate as string });
    await client.next("session.created");
  });
});
