// Behaviour matched to the real API (recorded live sessions; see docs/local-realtime.md, "Differences from the real
// API"). Each `it` name below is cited by a row of that table; docs-differences.test.ts checks they still exist.
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { functionTool, type Json, startTestServer, TestClient } from "../test/harness.ts";
import { ManualClock } from "../test/manual-clock.ts";
import { speechDurationMs } from "./audio/voice.ts";

/** Opens a raw socket and resolves with the first event and the close code and reason. */
async function refused(
  url: string,
  headers: Record<string, string>,
): Promise<{ first: Json; code: number; reason: string; opened: boolean }> {
  const ws = new WebSocket(url, { headers });
  let opened = false;
  ws.on("open", () => {
    opened = true;
  });
  const first = new Promise<Json>((resolve) =>
    ws.once("message", (data) => resolve(JSON.parse(String(data)) as Json)),
  );
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return { first: await first, ...(await closed), opened };
}

describe("connecting, as the API refuses it", () => {
  it("refuses the beta header with beta_api_shape_disabled and closes 4000", async () => {
    const server = await startTestServer();
    const r = await refused(`${server.url}?model=gpt-realtime`, { "OpenAI-Beta": "realtime=v1" });
    expect(r.opened).toBe(true);
    expect(r.first.error).toMatchObject({
      type: "invalid_request_error",
      code: "beta_api_shape_disabled",
      message:
        "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.",
    });
    expect([r.code, r.reason]).toEqual([4000, "invalid_request_error.beta_api_shape_disabled"]);
  });

  it("refuses a missing or unknown model after the upgrade", async () => {
    const server = await startTestServer();
    const none = await refused(server.url, {});
    expect(none.first.error.code).toBe("missing_model");
    expect([none.code, none.reason]).toEqual([4000, "invalid_request_error.missing_model"]);
    const unknown = await refused(`${server.url}?model=gpt-nope`, {});
    expect(unknown.first.error).toMatchObject({ code: "invalid_model" });
    expect(unknown.first.error.message).toContain('Model "gpt-nope" is not supported');
  });

  it("refuses a missing or wrong key with an error event and close 3000 when a key is required", async () => {
    const server = await startTestServer({ apiKey: "sk-the-right-key-1234" });
    const none = await refused(`${server.url}?model=gpt-realtime`, {});
    expect(none.first.error).toMatchObject({
      code: null,
      message: "Missing bearer or basic authentication in header",
    });
    expect([none.code, none.reason]).toEqual([3000, "invalid_request_error"]);
    const wrong = await refused(`${server.url}?model=gpt-realtime`, {
      Authorization: "Bearer sk-the-wrong-key-9999",
    });
    expect(wrong.first.error.code).toBe("invalid_api_key");
    // The key is echoed masked, never in full.
    expect(wrong.first.error.message).toContain("sk-the-w***…9999");
    expect(wrong.first.error.message).not.toContain("sk-the-wrong-key-9999");
    expect(wrong.code).toBe(3000);
  });
});

describe("bad input, as the API answers it", () => {
  it("answers a binary frame with invalid_event and keeps the session", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession();
    client.ws.send(Buffer.from(JSON.stringify({ type: "response.create" })), { binary: true });
    expect((await client.next("error")).error).toMatchObject({
      code: "invalid_event",
      message: "Expected a text WebSocket message; binary frames are not supported.",
      param: null,
    });
    expect((await client.say("hello")).response.status).toBe("completed");
  });

  it("names the operation in the code for an unknown item id", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    const codes: string[] = [];
    for (const type of ["retrieve", "delete", "truncate"]) {
      client.send({
        type: `conversation.item.${type}`,
        item_id: "yo",
        ...(type === "truncate" ? { content_index: 0, audio_end_ms: 10 } : {}),
      });
      const error = (await client.next("error")).error;
      codes.push(error.code);
      expect(error.message).toMatch(
        /^Error (retrieving|deleting|truncating) item: the item with id 'yo' does not exist\.$/,
      );
    }
    expect(codes).toEqual([
      "item_retrieve_invalid_item_id",
      "item_delete_invalid_item_id",
      "item_truncate_invalid_item_id",
    ]);
  });

  it("words type, value and missing-field errors like the API", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    const next = async (event: Json) => {
      client.send(event);
      return (await client.next("error")).error as Json;
    };
    expect(await next({ type: "nope" })).toMatchObject({
      code: "invalid_value",
      param: "type",
      message:
        "Invalid value: 'nope'. Supported values are: 'session.update', 'session.close', 'input_audio_buffer.append', 'session.input_audio_buffer.append', 'input_audio_buffer.commit', 'input_audio_buffer.clear', 'conversation.item.create', 'conversation.item.truncate', 'conversation.item.delete', 'conversation.item.retrieve', 'response.create', and 'response.cancel'.",
    });
    expect(await next({ event_id: "x" })).toMatchObject({
      code: "missing_required_parameter",
      message: "Missing required parameter: 'type'.",
      param: "type",
    });
    expect(await next({ type: "conversation.item.delete" })).toMatchObject({
      code: "missing_required_parameter",
      message: "Missing required parameter: 'item_id'.",
      param: "item_id",
    });
    expect(await next({ type: "conversation.item.delete", item_id: 5 })).toMatchObject({
      code: "invalid_type",
      message: "Invalid type for 'item_id': expected a string, but got an integer instead.",
      param: "item_id",
    });
  });
});

describe("responses, as the API sends them", () => {
  it("sends output audio faster than real time, so a barge-in finds the response done and truncates at the played position", async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ pace: 1, clock });
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    const line = "A reply long enough to be interrupted halfway through by the caller.";
    client.send({ type: "response.create", response: { instructions: `Say exactly: "${line}"` } });
    await client.next("response.output_audio.delta");
    // The whole reply's audio arrives in a quarter of its playing time (audioPace 4).
    await clock.advance(Math.ceil(speechDurationMs(line) / 4) + 100);
    const done = await client.next("response.done");
    expect(done.response.status).toBe("completed");
    // The caller speaks after 1.5 s of playback: there is nothing left to cancel…
    client.send({ type: "response.cancel", event_id: "evt_cancel" });
    expect((await client.next("error")).error).toMatchObject({
      code: "response_cancel_not_active",
      event_id: "evt_cancel",
    });
    // …and the truncate at the played position is what keeps the conversation right.
    const item = done.response.output[0];
    client.send({
      type: "conversation.item.truncate",
      item_id: item.id,
      content_index: 0,
      audio_end_ms: 1500,
    });
    expect((await client.next("conversation.item.truncated")).audio_end_ms).toBe(1500);
    client.send({ type: "conversation.item.retrieve", item_id: item.id });
    expect((await client.next("conversation.item.retrieved")).item.content[0].transcript).toBe("");
  });

  it("accepts item_reference items in an out-of-band response's input", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession();
    client.send({
      type: "conversation.item.create",
      item: {
        id: "item_question",
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "a question of four hundred characters ".repeat(10) },
        ],
      },
    });
    await client.next("conversation.item.done");
    const tokens = async (input: Json[]) => {
      client.send({ type: "response.create", response: { conversation: "none", input } });
      const done = await client.next("response.done");
      expect(done.response.status).toBe("completed");
      return done.response.usage.input_tokens as number;
    };
    // The referenced item is part of what the model reads (380 characters: 95 tokens more).
    const without = await tokens([]);
    const withRef = await tokens([{ type: "item_reference", id: "item_question" }]);
    expect(withRef - without).toBe(95);
    client.send({
      type: "response.create",
      response: { conversation: "none", input: [{ type: "item_reference", id: "item_gone" }] },
    });
    expect((await client.next("error")).error).toMatchObject({
      code: "invalid_value",
      param: "response.input[0].id",
    });
  });

  it("reports cached input tokens in 64-token steps below 1,024 tokens", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({
      instructions: "You are the front desk of a small hotel. ".repeat(8),
    });
    const first = await client.say("hello");
    expect(first.response.usage.input_token_details.cached_tokens).toBe(0);
    const input = first.response.usage.input_tokens as number;
    expect(input).toBeLessThan(1024);
    const second = await client.say("thanks");
    const cached = second.response.usage.input_token_details.cached_tokens as number;
    expect(cached).toBe(Math.floor(input / 64) * 64);
    expect(cached).toBeGreaterThan(0);
    const limits = await client.next("rate_limits.updated");
    expect(limits.rate_limits.map((r: Json) => r.name)).toEqual(["tokens"]);
  });

  it("makes parallel function calls in one response when the user asks for two things", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    const weather = functionTool(
      "get_weather",
      "The weather in a city.",
      [["weather in Oslo", { city: "Oslo" }]],
      {
        type: "object",
        properties: { city: { type: "string", description: "The city" } },
      },
    );
    const time = functionTool(
      "current_time",
      "The time in a city.",
      [["what time is it in Tokyo", { timeZone: "Asia/Tokyo" }]],
      {
        type: "object",
        properties: { timeZone: { type: "string", description: "IANA time zone" } },
      },
    );
    await client.textSession({ tools: [weather, time] });
    const done = await client.say("What's the weather in Paris and what time is it in London?");
    expect(
      done.response.output.map((i: Json) => [i.type, i.name, JSON.parse(i.arguments)]),
    ).toEqual([
      ["function_call", "get_weather", { city: "Paris" }],
      ["function_call", "current_time", { timeZone: "Europe/London" }],
    ]);
    // parallel_tool_calls: false → one call per response.
    const single = await client.say("What's the weather in Paris and what time is it in London?", {
      parallel_tool_calls: false,
    } as Json);
    expect(single.response.output.filter((i: Json) => i.type === "function_call")).toHaveLength(1);
  });
});
