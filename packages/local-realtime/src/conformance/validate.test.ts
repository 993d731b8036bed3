import { describe, expect, it } from "vitest";
import {
  assertClientEvent,
  ConformanceError,
  validateClientEvent,
  validateServerEvent,
} from "./index.ts";

describe("validateClientEvent", () => {
  it("accepts a GA session.update with tools, audio formats and turn detection", () => {
    const event = {
      type: "session.update",
      session: {
        type: "realtime",
        instructions: "You are Ada.",
        output_modalities: ["audio"],
        audio: {
          input: {
            format: { type: "audio/pcm", rate: 24000 },
            turn_detection: { type: "server_vad", threshold: 0.5 },
          },
          output: { format: { type: "audio/pcmu" }, voice: "marin" },
        },
        tools: [
          {
            type: "function",
            name: "lookup",
            description: "d",
            parameters: { type: "object", properties: {} },
          },
        ],
        tool_choice: "auto",
      },
    };
    expect(validateClientEvent(event)).toEqual([]);
  });

  it("reports an unknown field where the real API would reject it (voice belongs under audio.output in GA)", () => {
    expect(
      validateClientEvent({
        type: "session.update",
        session: { type: "realtime", voice: "marin" },
      }),
    ).toEqual(["session.voice: unknown field (the spec does not define it here)"]);
    expect(
      validateClientEvent(
        { type: "session.update", session: { type: "realtime", voice: "marin" } },
        { strict: false },
      ),
    ).toEqual([]);
  });

  it("reports only the failures of the union branch the value was meant for", () => {
    const problems = validateClientEvent({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content: [{ type: "input_txt", text: "hi" }] },
    });
    expect(problems).toEqual([
      'item.content[0].type: must be one of "input_text", "input_audio", "input_image" (got "input_txt")',
    ]);
  });

  it("lists the allowed discriminants when no branch fits", () => {
    expect(validateClientEvent({ type: "session.update", session: { type: "realtimee" } })).toEqual(
      ['session.type: must be one of "realtime", "transcription" (got "realtimee")'],
    );
  });

  it("accepts an out-of-band response.create (the spec's overlapping oneOf for conversation)", () => {
    const event = {
      type: "response.create",
      response: {
        conversation: "none",
        instructions: 'Say exactly: "One moment."',
        metadata: { kind: "filler" },
      },
    };
    expect(validateClientEvent(event)).toEqual([]);
  });

  it("names an unknown event type and suggests the near one", () => {
    expect(validateClientEvent({ type: "response_create" })).toEqual([
      '"response_create" is not a client event type of the Realtime API (did you mean "response.create"?)',
    ]);
    expect(validateClientEvent("nope")).toEqual(["the event must be a JSON object"]);
  });

  it("throws a ConformanceError with a stable code from the assert variant", () => {
    try {
      assertClientEvent({ type: "session.update" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConformanceError);
      expect((error as ConformanceError).code).toBe("event_not_conformant");
      expect((error as ConformanceError).message).toContain("session: missing required field");
    }
  });
});

describe("validateServerEvent", () => {
  it("checks server events against their own schema", () => {
    const ok = {
      type: "error",
      event_id: "event_1",
      error: {
        type: "invalid_request_error",
        code: "x",
        message: "m",
        param: null,
        event_id: null,
      },
    };
    expect(validateServerEvent(ok)).toEqual([]);
    expect(
      validateServerEvent({ type: "response.output_text.delta", event_id: "e", response_id: "r" }),
    ).toEqual(expect.arrayContaining(["delta: missing required field"]));
    expect(validateServerEvent({ type: "session.update", session: {} })[0]).toMatch(
      /not a server event type/,
    );
  });
});
