import type { ConversationItem } from "openai/resources/realtime/realtime";
import { describe, expect, it } from "vitest";
import { ConversationRecord } from "./conversation.ts";

describe("the conversation record", () => {
  it("keeps items in server order, placing an item after its previous_item_id", () => {
    const c = new ConversationRecord();
    c.added({
      id: "a",
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: "hi" }],
    });
    c.added({ id: "c", type: "message", role: "assistant", content: [] }, "a");
    c.added(
      { id: "b", type: "function_call", call_id: "call_1", name: "lookup", arguments: "{}" },
      "a",
    );
    expect(c.snapshot().items.map((e) => e.id)).toEqual(["a", "b", "c"]);
  });

  it("accumulates transcripts and truncation, and replays items as text", () => {
    const c = new ConversationRecord();
    c.added({ id: "u", type: "message", role: "user", content: [{ type: "input_audio" }] });
    c.setText("u", "book a room");
    c.added({
      id: "f",
      type: "function_call",
      call_id: "call_1",
      name: "book",
      arguments: '{"n":2}',
    });
    c.added({ id: "o", type: "function_call_output", call_id: "call_1", output: '{"ok":true}' });
    c.added({ id: "x", type: "message", role: "assistant", content: [], status: "in_progress" });
    c.appendText("x", "Done, ");
    c.appendText("x", "booked.");
    c.addAudio("x", 1200);
    c.truncated("x", 400);
    c.done({ id: "x", type: "message", role: "assistant", content: [], status: "incomplete" });
    expect(c.get("x")).toMatchObject({
      text: "Done, booked.",
      audioMs: 1200,
      truncatedAtMs: 400,
      status: "incomplete",
    });
    expect(
      c
        .toReplayItems()
        .map((i) => [
          i.id,
          i.type === "message" ? i.role : i.type,
          JSON.stringify(i.type === "message" ? i.content : i),
        ]),
    ).toEqual([
      [expect.any(String), "user", JSON.stringify([{ type: "input_text", text: "book a room" }])],
      [
        expect.any(String),
        "system",
        JSON.stringify([
          {
            type: "input_text",
            text: '[earlier] The assistant called the tool book with {"n":2}.',
          },
        ]),
      ],
      [
        expect.any(String),
        "system",
        JSON.stringify([{ type: "input_text", text: '[earlier] book returned: {"ok":true}' }]),
      ],
      [
        expect.any(String),
        "assistant",
        JSON.stringify([{ type: "output_text", text: "Done, booked." }]),
      ],
    ]);
  });

  it("replays at most maxItems of a long conversation: the most recent, after a note of how many came before", () => {
    const c = new ConversationRecord();
    for (let i = 0; i < 500; i++)
      c.added(
        i % 2
          ? {
              id: `m${i}`,
              type: "message",
              role: "assistant",
              content: [{ type: "output_text", text: `turn ${i}` }],
            }
          : {
              id: `m${i}`,
              type: "message",
              role: "user",
              content: [{ type: "input_text", text: `turn ${i}` }],
            },
      );
    expect(c.toReplayItems()).toHaveLength(500);
    const replay = c.toReplayItems(200);
    expect(replay).toHaveLength(201);
    const [note, first] = replay;
    expect(note).toMatchObject({ type: "message", role: "system" });
    expect(JSON.stringify(note)).toContain("began 300 items before");
    // Its own id (never one of the record's), so its echo is ignored like the replayed items'.
    expect(note?.id).toMatch(/^parley_item_/);
    expect(first?.id).toBe("m300");
    expect(replay.at(-1)?.id).toBe("m499");
  });

  it("gives snapshots that later changes do not touch, and forgets deleted items", () => {
    const c = new ConversationRecord();
    c.added({
      id: "a",
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: "one" }],
    });
    const snap = c.snapshot();
    c.setText("a", "changed");
    c.deleted("a");
    expect(snap.items[0]?.text).toBe("one");
    expect(c.size).toBe(0);
  });

  it("keeps server order through inserts after an earlier item and deletes at either end or in the middle", () => {
    const c = new ConversationRecord();
    const say = (id: string): ConversationItem => ({
      id,
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: id }],
    });
    c.added(say("a"));
    c.added(say("c"));
    c.added(say("b"), "a"); // the server places b between a and c
    c.added(say("z"), "unknown"); // an unknown predecessor: at the end
    c.added(say("a0"), null);
    const order = () => c.snapshot().items.map((e) => e.id);
    expect(order()).toEqual(["a", "b", "c", "z", "a0"]);
    c.deleted("b");
    c.deleted("a");
    c.deleted("a0");
    expect(order()).toEqual(["c", "z"]);
    c.added(say("d"), "z");
    c.added(say("y"), "c");
    expect(order()).toEqual(["c", "y", "z", "d"]);
    expect(c.size).toBe(4);
  });
});
