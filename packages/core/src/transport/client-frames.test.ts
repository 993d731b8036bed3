import fc from "fast-check";
import type { InputAudioBufferAppendEvent } from "openai/resources/realtime/realtime";
import { describe, expect, it } from "vitest";
import { clientEventText, encodedAudioAppend } from "./client-frames.ts";

describe("the text of a client event", () => {
  it("is JSON.stringify's for microphone audio the runtime encoded, and carries the bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4800 }), fc.nat(16), (bytes, offset) => {
        // A view into a larger buffer, as a microphone's chunks often are.
        const backing = new Uint8Array(offset + bytes.length);
        backing.set(bytes, offset);
        const view = backing.subarray(offset);
        const event = encodedAudioAppend(view);
        const text = clientEventText(event);
        expect(text).toBe(JSON.stringify(event));
        const parsed = JSON.parse(text) as InputAudioBufferAppendEvent;
        expect(parsed.type).toBe("input_audio_buffer.append");
        expect(Buffer.from(parsed.audio, "base64").equals(Buffer.from(bytes))).toBe(true);
      }),
      { seed: 12, numRuns: 200 },
    );
  });

  it("is JSON.stringify's for an append changed after it was made, or not made by the runtime", () => {
    const withId = encodedAudioAppend(Buffer.from([1, 2, 3]));
    withId.event_id = "evt_1";
    expect(JSON.parse(clientEventText(withId))).toEqual({
      type: "input_audio_buffer.append",
      audio: "AQID",
      event_id: "evt_1",
    });
    const changed = encodedAudioAppend(Buffer.from([1, 2, 3]));
    changed.audio = 'not "base64"';
    expect(clientEventText(changed)).toBe(JSON.stringify(changed));
    const given: InputAudioBufferAppendEvent = {
      type: "input_audio_buffer.append",
      audio: 'a "quoted" string\n',
    };
    expect(JSON.parse(clientEventText(given))).toEqual(given);
    const noAudio = { type: "input_audio_buffer.append" } as InputAudioBufferAppendEvent;
    expect(clientEventText(noAudio)).toBe('{"type":"input_audio_buffer.append"}');
  });
});
