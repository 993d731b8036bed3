import { describe, expect, it } from "vitest";
import { functionTool, startTestServer, TestClient } from "../../test/harness.ts";
import { ManualClock } from "../../test/manual-clock.ts";
import { scriptedModel, toTurns } from "./scripted.ts";

describe("toTurns", () => {
  it("groups a flat script: a response ends after its calls; user steps open turns", () => {
    expect(
      toTurns([
        { say: "Welcome." },
        { user: "book it" },
        { call: { name: "a", arguments: {} } },
        { call: { name: "b", arguments: {} } },
        { wait: 10 },
        { say: "Done." },
        { user: /thanks/ },
        { say: "Bye." },
      ]),
    ).toEqual([
      { responses: [[{ say: "Welcome." }]] },
      {
        user: "book it",
        responses: [
          [{ call: { name: "a", arguments: {} } }, { call: { name: "b", arguments: {} } }],
          [{ wait: 10 }, { say: "Done." }],
        ],
      },
      { user: /thanks/, responses: [[{ say: "Bye." }]] },
    ]);
  });
});

describe("the scripted model", () => {
  it("plays a scenario, leaving fillers to the fallback without consuming steps", async () => {
    const model = scriptedModel([
      { say: "Welcome to Lumen." },
      { user: "Book a room for two nights" },
      { call: { name: "book_room", arguments: { nights: 2 } } },
      { say: "Booked, see you soon." },
    ]);
    const server = await startTestServer({ model });
    const client = await TestClient.connect(server.url);
    await client.textSession({ tools: [functionTool("book_room", "Books.")] });
    client.send({ type: "response.create", response: { instructions: "Greet the user." } });
    expect((await client.next("response.done")).response.output[0].content[0].text).toBe(
      "Welcome to Lumen.",
    );
    const call = (await client.say("book a room for two nights!")).response.output[0];
    expect(call).toMatchObject({
      type: "function_call",
      name: "book_room",
      arguments: '{"nights":2}',
    });
    // A filler while the tool runs: out of band, said verbatim, no script step used.
    client.send({
      type: "response.create",
      response: { conversation: "none", instructions: 'Say exactly: "One moment."' },
    });
    expect((await client.next("response.done")).response.output[0].content[0].text).toBe(
      "One moment.",
    );
    expect(model.progress().finished).toBe(false);
    client.send({
      type: "conversation.item.create",
      item: { type: "function_call_output", call_id: call.call_id, output: '{"ok":true}' },
    });
    client.send({ type: "response.create" });
    expect((await client.next("response.done")).response.output[0].content[0].text).toBe(
      "Booked, see you soon.",
    );
    expect(model.progress()).toEqual({ started: 2, total: 2, finished: true, mismatches: [] });
  });

  it("records a mismatch when the user says something else, and answers through the fallback", async () => {
    const seen: unknown[] = [];
    const model = scriptedModel([{ user: /weather/i }, { say: "Sunny." }], {
      onMismatch: (m) => seen.push(m),
    });
    const server = await startTestServer({ model });
    const client = await TestClient.connect(server.url);
    await client.textSession();
    const done = await client.say("hello");
    expect(done.response.output[0].content[0].text).toBe("Hello! How can I help you today?");
    expect(seen).toEqual([{ turn: 0, expected: "/weather/i", got: "hello" }]);
    expect(model.progress().mismatches).toHaveLength(1);
  });

  it("accepts turns grouped explicitly (as compiled scenarios give them)", async () => {
    const model = scriptedModel([
      { user: "hi", responses: [[{ say: "First." }], [{ say: "Second." }]] },
    ]);
    const server = await startTestServer({ model });
    const client = await TestClient.connect(server.url);
    await client.textSession();
    expect((await client.say("Hi!")).response.output[0].content[0].text).toBe("First.");
    client.send({ type: "response.create" });
    expect((await client.next("response.done")).response.output[0].content[0].text).toBe("Second.");
    expect(model.progress().finished).toBe(true);
  });

  it("waits on the server's clock before the next action", async () => {
    const clock = new ManualClock();
    const model = scriptedModel([
      { user: "hi" },
      { say: "Let me think." },
      { wait: 2000 },
      { say: "Done thinking." },
    ]);
    const server = await startTestServer({ model, clock, pace: 1 });
    const client = await TestClient.connect(server.url);
    await client.textSession();
    client.send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
    });
    client.send({ type: "response.create" });
    await client.next("response.created");
    // Text streams at 15 ms per word on the same clock: let the first line finish, then stop short of the wait.
    await clock.advance(1999);
    client.send({ type: "conversation.item.retrieve", item_id: "item_barrier" });
    await client.next("error");
    expect(
      client.events.filter((e) => e.type === "response.output_text.done").map((e) => e.text),
    ).toEqual(["Let me think."]);
    await clock.advance(100);
    const done = await client.next("response.done");
    expect(
      done.response.output.map((o: { content: Array<{ text: string }> }) => o.content[0]?.text),
    ).toEqual(["Let me think.", "Done thinking."]);
  });
});
