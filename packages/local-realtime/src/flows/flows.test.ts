import { describe, expect, it } from "vitest";
import { startTestServer } from "../../test/harness.ts";
import { defineModel } from "../models/types.ts";
import { compareTraces, traceOf } from "./compare.ts";
import { runConformance } from "./run.ts";

describe("conformance flows", { timeout: 60_000 }, () => {
  it("find no difference between two servers configured alike", async () => {
    const a = await startTestServer();
    const b = await startTestServer();
    const results = await runConformance({
      local: { url: `${a.url}?model=gpt-realtime` },
      other: { url: `${b.url}?model=gpt-realtime` },
    });
    expect(results.map((r) => r.flow)).toEqual([
      "connect",
      "session-update",
      "text-turn",
      "function-call",
      "cancel-and-truncate",
      "vad-turn",
      "bad-input",
      "out-of-band",
    ]);
    expect(results.filter((r) => r.failed)).toEqual([]);
    expect(results.flatMap((r) => r.differences)).toEqual([]);
    // The flows reach what they are about: the bad-input flow got the API's codes and the beta-header close.
    const bad = results.find((r) => r.flow === "bad-input")?.local ?? [];
    expect(bad.filter((s) => s.type === "error").map((s) => s.fields["error.code"])).toEqual([
      "invalid_value",
      "missing_required_parameter",
      "invalid_json",
      "invalid_event",
      "item_delete_invalid_item_id",
      "beta_api_shape_disabled",
    ]);
    expect(bad.at(-1)).toMatchObject({ type: "(closed)", fields: { code: 4000 } });
    const cancel = results.find((r) => r.flow === "cancel-and-truncate")?.local ?? [];
    expect(cancel.find((s) => s.type === "error")?.fields["error.code"]).toBe(
      "response_cancel_not_active",
    );
    expect(cancel.some((s) => s.type === "conversation.item.truncated")).toBe(true);
  });

  it("report the events and fields where a differently configured server differs", async () => {
    const a = await startTestServer();
    // A model that never calls tools and a required key: the function-call flow and every connection differ.
    const b = await startTestServer({
      model: defineModel({ name: "talker", respond: () => [{ say: "Hi." }] }),
      apiKey: "sk-other-side-0000",
    });
    const results = await runConformance({
      local: { url: `${a.url}?model=gpt-realtime` },
      other: { url: `${b.url}?model=gpt-realtime`, apiKey: "sk-other-side-0000" },
      flows: ["function-call", "text-turn"],
      names: ["local", "other"],
    });
    const call = results.find((r) => r.flow === "function-call");
    expect(call?.differences.map((d) => d.message)).toContain(
      'response.output_item.added #1 item.type: local "function_call", other "message"',
    );
    expect(call?.differences.some((d) => d.kind === "order")).toBe(true);
    expect(results.find((r) => r.flow === "text-turn")?.differences).toEqual([]);
  });

  it("fold deltas and align the rest, so order and code differences read plainly", () => {
    const local = traceOf([
      { type: "response.output_text.delta" },
      { type: "response.output_text.delta" },
      { type: "error", error: { type: "invalid_request_error", code: "a", param: null } },
      { type: "rate_limits.updated" },
    ]);
    const live = traceOf([
      { type: "response.output_text.delta" },
      { type: "error", error: { type: "invalid_request_error", code: "b", param: null } },
    ]);
    expect(compareTraces(local, live, ["local", "live"]).map((d) => d.message)).toEqual([
      "only local sent rate_limits.updated (step 3)",
      'error #1 error.code: local "a", live "b"',
    ]);
  });

  it("refuses a flow name it does not know", async () => {
    await expect(
      runConformance({ local: { url: "ws://127.0.0.1:1/v1/realtime" }, flows: ["nope"] }),
    ).rejects.toThrow(/unknown flow "nope"; the flows are connect, /);
  });
});
