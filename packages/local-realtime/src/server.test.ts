import { describe, expect, it } from "vitest";
import { functionTool, startTestServer, TestClient } from "../test/harness.ts";

describe("a text turn", () => {
  it("answers a user message with the full event sequence and usage", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({ instructions: "You are Ada, a concierge." });
    const from = client.events.length;
    const done = await client.say("hello there");
    expect(done.response.status).toBe("completed");
    expect(done.response.output[0].content[0].text).toBe(
      "Hello, this is Ada! How can I help you today?",
    );
    expect(done.response.usage.output_tokens).toBeGreaterThan(0);
    expect(client.types(from)).toEqual([
      "conversation.item.added",
      "conversation.item.done",
      "response.created",
      "response.output_item.added",
      "conversation.item.added",
      "response.content_part.added",
      ...Array(10).fill("response.output_text.delta"),
      "response.output_text.done",
      "response.content_part.done",
      // The API closes the conversation item first (recorded live).
      "conversation.item.done",
      "response.output_item.done",
      "response.done",
      "rate_limits.updated",
    ]);
  });
});

describe("a function-call turn", () => {
  it("calls the tool whose example matches, with slots filled, then speaks about the output", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({
      tools: [
        functionTool("book_room", "Books a room.", [["book a room for two nights", { nights: 2 }]]),
      ],
    });
    const first = await client.say("Could you book a room for 3 nights?");
    const call = first.response.output[0];
    expect(call).toMatchObject({
      type: "function_call",
      name: "book_room",
      arguments: '{"nights":3}',
      status: "completed",
    });
    client.send({
      type: "conversation.item.create",
      item: {
        type: "function_call_output",
        call_id: call.call_id,
        output: '{"confirmation":"BK-42","nights":3}',
      },
    });
    client.send({ type: "response.create" });
    const second = await client.next("response.done");
    expect(second.response.output[0].content[0].text).toBe(
      "Here's what I got: confirmation BK-42, nights 3.",
    );
  });
});
