import { describe, expect, it } from "vitest";
import { functionTool, startTestServer, TestClient } from "../test/harness.ts";
import { ManualClock } from "../test/manual-clock.ts";
import { defineModel } from "./models/types.ts";

describe("one response at a time", () => {
  it("refuses a second response.create with the API's error code while one is in progress", async () => {
    // A manual clock holds the first response mid-stream however busy the machine is.
    const clock = new ManualClock();
    const server = await startTestServer({ pace: 1, clock });
    const client = await TestClient.connect(server.url);
    await client.textSession();
    client.send({
      type: "response.create",
      response: {
        instructions: 'Say exactly: "This is a long enough line to still be streaming."',
      },
    });
    const created = await client.next("response.created");
    client.send({ type: "response.create", event_id: "evt_second" });
    const error = await client.next("error");
    expect(error.error).toMatchObject({
      type: "invalid_request_error",
      code: "conversation_already_has_active_response",
      event_id: "evt_second",
      param: null,
    });
    expect(error.error.message).toContain(created.response.id);
    await clock.advance(10_000);
    const done = await client.next("response.done");
    expect(done.response.status).toBe("completed");
  });

  it("ends a response as cancelled on response.cancel, keeping what was streamed as incomplete", async () => {
    const server = await startTestServer({ pace: 1 });
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({
      type: "response.create",
      response: {
        instructions:
          'Say exactly: "A sentence long enough to take a few seconds of audio to say out loud."',
      },
    });
    await client.next("response.output_audio.delta");
    client.send({ type: "response.cancel" });
    const done = await client.next("response.done");
    expect(done.response.status).toBe("cancelled");
    expect(done.response.status_details).toEqual({ type: "cancelled", reason: "client_cancelled" });
    expect(done.response.output[0].status).toBe("incomplete");
    const transcript = done.response.output[0].content[0].transcript as string;
    expect(transcript.length).toBeLessThan(
      "A sentence long enough to take a few seconds of audio to say out loud.".length,
    );
    client.send({ type: "response.cancel", event_id: "evt_c" });
    expect((await client.next("error")).error).toMatchObject({
      code: "response_cancel_not_active",
      event_id: "evt_c",
    });
  });
});

describe("out-of-band responses and fillers", () => {
  it("says a Say exactly line verbatim, outside the conversation, even while a response is in progress", async () => {
    const server = await startTestServer({ pace: 1 });
    const client = await TestClient.connect(server.url);
    await client.textSession();
    client.send({
      type: "response.create",
      response: {
        instructions: 'Say exactly: "Main answer that streams for a little while, word by word."',
      },
    });
    await client.next("response.created");
    client.send({
      type: "response.create",
      response: {
        conversation: "none",
        instructions: 'Say exactly: "One moment while I check."',
        metadata: { kind: "filler" },
      },
    });
    const filler = await client.next(
      "response.done",
      (e) => e.response.metadata?.kind === "filler",
    );
    expect(filler.response.output[0].content[0].text).toBe("One moment while I check.");
    expect(filler.response.conversation_id).toBeUndefined();
    const main = await client.next("response.done", (e) => e.response.metadata?.kind !== "filler");
    expect(main.response.status).toBe("completed");
    // The filler's item never joined the conversation.
    const fillerItem = filler.response.output[0].id;
    client.send({ type: "conversation.item.retrieve", item_id: fillerItem });
    expect((await client.next("error")).error.code).toBe("item_retrieve_invalid_item_id");
  });

  it("gives a neutral line for an out-of-band response without an exact line (it never invents a result)", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession();
    client.send({
      type: "response.create",
      response: {
        conversation: "none",
        instructions: "Tell the user the lookup is still running. Do not invent results.",
      },
    });
    const done = await client.next("response.done");
    expect(done.response.output[0].content[0].text).toBe("One moment, please.");

    // A generated filler while an approval is pending says it is waiting for a confirmation, still no result.
    client.send({
      type: "response.create",
      response: {
        conversation: "none",
        instructions:
          "Say one short sentence telling the user you are waiting for that confirmation.",
      },
    });
    const waiting = await client.next("response.done");
    expect(waiting.response.output[0].content[0].text).toBe(
      "I'm just waiting for a confirmation on that.",
    );
  });
});

describe("greeting", () => {
  it("derives a greeting from the session instructions when asked to greet", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({
      instructions: "You are Ada, the front desk of Hotel Lumen. Be brief.",
    });
    client.send({ type: "response.create", response: { instructions: "Greet the user." } });
    const done = await client.next("response.done");
    expect(done.response.output[0].content[0].text).toBe(
      "Hi, I'm Ada, the front desk of Hotel Lumen. How can I help you today?",
    );
  });

  it("uses a quoted greeting from the instructions", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({ instructions: 'Greeting: "Lumen front desk, Ada speaking."' });
    client.send({ type: "response.create", response: { instructions: "Greet the caller." } });
    expect((await client.next("response.done")).response.output[0].content[0].text).toBe(
      "Lumen front desk, Ada speaking.",
    );
  });
});

describe("function calling", () => {
  it("calls a tool with /call and streams its arguments", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({ tools: [functionTool("lookup", "Looks things up.")] });
    const done = await client.say('/call lookup {"id": 7}');
    const call = done.response.output[0];
    expect(call).toMatchObject({ type: "function_call", name: "lookup", arguments: '{"id":7}' });
    const deltas = client.events
      .filter((e) => e.type === "response.function_call_arguments.delta")
      .map((e) => e.delta)
      .join("");
    expect(deltas).toBe('{"id":7}');
    const argsDone = client.events.find((e) => e.type === "response.function_call_arguments.done");
    expect(argsDone).toMatchObject({ call_id: call.call_id, name: "lookup", item_id: call.id });
  });

  it("answers conversationally when nothing matches, without calling a tool", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({
      tools: [
        functionTool("book_room", "Books a room.", [["book a room for two nights", { nights: 2 }]]),
      ],
    });
    const done = await client.say("what is the weather like");
    expect(done.response.output[0].type).toBe("message");
  });

  it("refuses a function_call_output for an unknown call", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({
      type: "conversation.item.create",
      event_id: "e1",
      item: { type: "function_call_output", call_id: "call_nope", output: "{}" },
    });
    expect((await client.next("error")).error).toMatchObject({
      param: "item.call_id",
      event_id: "e1",
    });
  });
});

describe("audio output", () => {
  it("streams pcm16 audio with its transcript and counts audio tokens", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    client.send({
      type: "response.create",
      response: { instructions: 'Say exactly: "Hello there."' },
    });
    const done = await client.next("response.done");
    const audio = client.events
      .filter((e) => e.type === "response.output_audio.delta")
      .map((e) => Buffer.from(e.delta, "base64"));
    const bytes = audio.reduce((n, b) => n + b.length, 0);
    // "Hello there." is 12 characters: 720 ms at 60 ms per character, 48 bytes per ms.
    expect(bytes).toBe(720 * 48);
    const transcript = client.events
      .filter((e) => e.type === "response.output_audio_transcript.delta")
      .map((e) => e.delta)
      .join("");
    expect(transcript).toBe("Hello there.");
    expect(done.response.usage.output_token_details).toEqual({ text_tokens: 3, audio_tokens: 15 });
    expect(done.response.output[0].content[0]).toEqual({
      type: "output_audio",
      transcript: "Hello there.",
    });
  });

  it("streams G.711 at 8 kHz when the session asks for audio/pcmu", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.configure({ audio: { output: { format: { type: "audio/pcmu" } } } });
    client.send({
      type: "response.create",
      response: { instructions: 'Say exactly: "Hello there."' },
    });
    await client.next("response.done");
    const bytes = client.events
      .filter((e) => e.type === "response.output_audio.delta")
      .reduce((n, e) => n + Buffer.from(e.delta, "base64").length, 0);
    expect(bytes).toBe(720 * 8);
  });

  it("paces audio deltas on the server's clock: 100 ms of audio per 100 ms × pace at audioPace 1", async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ pace: 0.5, audioPace: 1, clock });
    const client = await TestClient.connect(server.url);
    await client.next("session.created");
    const deltas = () =>
      client.events.filter((e) => e.type === "response.output_audio.delta").length;
    const barrier = async () => {
      client.send({ type: "conversation.item.retrieve", item_id: "item_barrier" });
      await client.next("error");
    };
    // "Hello there." → 720 ms of audio: 8 deltas (7 × 100 ms + 20 ms); at pace 0.5 one every 50 ms.
    client.send({
      type: "response.create",
      response: { instructions: 'Say exactly: "Hello there."' },
    });
    await client.next("response.output_audio.delta");
    await barrier();
    expect(deltas()).toBe(1);
    await clock.advance(120);
    await barrier();
    expect(deltas()).toBe(3);
    await clock.advance(1000);
    expect((await client.next("response.done")).response.status).toBe("completed");
    expect(deltas()).toBe(8);
  });
});

describe("response parameters", () => {
  it("lets an out-of-band response see only its input items", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession();
    client.send({
      type: "conversation.item.create",
      item: {
        id: "item_q",
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "thanks" }],
      },
    });
    client.send({
      type: "response.create",
      response: {
        conversation: "none",
        instructions: "Answer the user.",
        input: [
          {
            type: "message",
            role: "user",
            content: [{ type: "input_text", text: "/call nothing" }],
          },
        ],
      },
    });
    // Out of band without an exact line: the neutral filler, whatever the input says.
    expect((await client.next("response.done")).response.output[0].content[0].text).toBe(
      "One moment, please.",
    );
    client.send({
      type: "response.create",
      response: {
        conversation: "none",
        instructions: 'Say exactly: "ok"',
        input: [
          {
            type: "message",
            role: "user",
            content: [{ type: "input_text", text: "x".repeat(400) }],
          },
        ],
      },
    });
    const done = await client.next("response.done");
    // 400 characters of input → 100 text tokens, plus the instructions (5) and the tools JSON "[]" (1).
    expect(done.response.usage.input_token_details.text_tokens).toBe(106);
  });

  it("honours tool_choice none and required", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({
      tools: [functionTool("lookup", "Looks up.", [["look up order 5", { order: 5 }]])],
    });
    expect(
      (await client.say("look up order 9", { tool_choice: "none" })).response.output[0].type,
    ).toBe("message");
    const forced = await client.say("hello", { tool_choice: "required" });
    expect(forced.response.output[0]).toMatchObject({
      type: "function_call",
      name: "lookup",
      arguments: '{"order":5}',
    });
  });

  it("ends a response over max_output_tokens as incomplete", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession();
    const done = await client.say("hello", { max_output_tokens: 2 });
    expect(done.response.status).toBe("incomplete");
    expect(done.response.status_details).toEqual({
      type: "incomplete",
      reason: "max_output_tokens",
    });
  });
});

describe("custom models", () => {
  it("runs a user-written model, and a failing one ends the response as failed with an error event", async () => {
    let calls = 0;
    const model = defineModel({
      name: "flaky",
      respond: (ctx) => {
        calls++;
        if (ctx.items.at(-1)?.text === "boom") throw new Error("no idea");
        return [{ wait: 5 }, { say: `echo: ${ctx.items.at(-1)?.text}` }];
      },
    });
    const server = await startTestServer({ model });
    const client = await TestClient.connect(server.url);
    await client.textSession();
    expect((await client.say("ping")).response.output[0].content[0].text).toBe("echo: ping");
    const failed = await client.say("boom");
    expect(failed.response.status).toBe("failed");
    expect(failed.response.status_details).toEqual({
      type: "failed",
      error: { type: "server_error", code: "model_error" },
    });
    expect(client.events.find((e) => e.type === "error")?.error.message).toBe(
      'The simulated model "flaky" failed: no idea',
    );
    expect(calls).toBe(2);
  });
});
