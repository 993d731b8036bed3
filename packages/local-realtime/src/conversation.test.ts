import { describe, expect, it } from "vitest";
import { Conversation, type StoredItem } from "./conversation.ts";
import { textOf } from "./model-view.ts";
import { addItemTokens, zeroCounts } from "./tokens.ts";

const user = (id: string, text: string): StoredItem => ({
  item: { id, type: "message", role: "user", content: [{ type: "input_text", text }] },
});
const call = (id: string, callId: string): StoredItem => ({
  item: { id, type: "function_call", call_id: callId, name: "current_time", arguments: "{}" },
});

/** What a response used to compute from scratch by walking the whole conversation. */
function fromScratch(c: Conversation) {
  const tokens = zeroCounts();
  for (const s of c.list()) addItemTokens(tokens, s.item, s.audioMs ?? 0);
  const views = c
    .list()
    .map((s) => ({ id: s.item.id, item: s.item, text: s.heard ?? textOf(s.item) }));
  return { tokens, views };
}

describe("Conversation keeps the model's view and the token count per item", () => {
  it("matches a walk of the whole conversation after inserts, updates and deletes anywhere", () => {
    const c = new Conversation();
    c.insert(user("a", "Hello there, what time is breakfast?"));
    c.insert(call("b", "call_1"));
    expect(c.insert(user("c", "first"), "root")).toEqual({ previousItemId: null });
    expect(c.insert(user("d", "in the middle"), "a")).toEqual({ previousItemId: "a" });
    const assistant: StoredItem = {
      item: { id: "e", type: "message", role: "assistant", content: [] },
    };
    c.insert(assistant);
    c.update(assistant, {
      audioMs: 1200,
      heard: "Breakfast is at seven.",
      item: {
        id: "e",
        type: "message",
        role: "assistant",
        content: [{ type: "output_audio", transcript: "Breakfast is at seven." }],
      },
    });
    expect(c.get("e")).toBe(assistant);
    expect(c.previousId("e")).toBe("b");
    expect(c.modelItems().map((v) => v.id)).toEqual(["c", "a", "d", "b", "e"]);
    expect({ tokens: { ...c.tokens() }, views: [...c.modelItems()] }).toEqual(fromScratch(c));
    expect(c.tokens().audio).toBe(24);

    c.update(assistant, { audioMs: 300, heard: "Break", truncated: true });
    expect(c.delete("d")).toBe(true);
    expect(c.delete("d")).toBe(false);
    expect(c.previousId("b")).toBe("a");
    expect({ tokens: { ...c.tokens() }, views: [...c.modelItems()] }).toEqual(fromScratch(c));
    expect(c.modelItems().find((v) => v.id === "e")?.text).toBe("Break");
  });

  it("knows which call ids and approval responses it holds as items come and go", () => {
    const c = new Conversation();
    expect(c.insert(user("x", "hi"), "missing")).toBeUndefined();
    c.insert(call("b", "call_1"));
    expect(c.hasCall("call_1")).toBe(true);
    expect(c.hasCall("call_2")).toBe(false);
    c.delete("b");
    expect(c.hasCall("call_1")).toBe(false);
    expect(c.hasApprovalResponses()).toBe(false);
    c.insert({
      item: {
        id: "r",
        type: "mcp_approval_response",
        approval_request_id: "mcpr_1",
        approve: true,
      },
    });
    expect(c.hasApprovalResponses()).toBe(true);
    c.delete("r");
    expect(c.hasApprovalResponses()).toBe(false);
  });
});
