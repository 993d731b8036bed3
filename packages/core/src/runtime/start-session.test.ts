import { describe, expect, it } from "vitest";
import { realtimeUrl } from "./start-session.ts";

describe("the WebSocket URL", () => {
  it("adds the model to the OpenAI endpoint, or the SIP call id instead", () => {
    expect(realtimeUrl(undefined, "gpt-realtime")).toBe(
      "wss://api.openai.com/v1/realtime?model=gpt-realtime",
    );
    expect(realtimeUrl(undefined, "gpt-realtime", "rtc_123")).toBe(
      "wss://api.openai.com/v1/realtime?call_id=rtc_123",
    );
  });

  it("keeps a caller's own query (a local server, an EU host with its model)", () => {
    expect(realtimeUrl("ws://127.0.0.1:4000/v1/realtime", "gpt-realtime-mini")).toBe(
      "ws://127.0.0.1:4000/v1/realtime?model=gpt-realtime-mini",
    );
    expect(realtimeUrl("wss://eu.example/v1/realtime?model=x", "gpt-realtime")).toBe(
      "wss://eu.example/v1/realtime?model=x",
    );
  });
});
