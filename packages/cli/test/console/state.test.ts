import { describe, expect, it } from "vitest";
import { initialState, reduce } from "../../console/state.ts";

// The page's state, fed the stream events a delegation produces (the tool timeline draws nested calls from it).
const event = (e: Record<string, unknown>) =>
  ({
    type: "server",
    message: { type: "event", event: { at: 0, seq: 0, sessionId: "s", ...e } },
  }) as never;

describe("the console's tool timeline state", () => {
  it("keeps a delegation's own calls under the delegate call they run for", () => {
    let state = reduce(
      initialState,
      event({ type: "tool.call", callId: "c1", tool: "dispute_charge", arguments: {} }),
    );
    state = reduce(
      state,
      event({
        type: "tool.call",
        callId: "n1",
        tool: "lookup_invoice",
        arguments: {},
        parentCallId: "c1",
      }),
    );
    expect(state.tools.map((t) => [t.tool, t.parentCallId])).toEqual([
      ["dispute_charge", undefined],
      ["lookup_invoice", "c1"],
    ]);
  });
});
