// The Agents SDK parses every server event with its own zod schemas and silently drops what fails (it treats
// the event as "generic"): a mismatch shows up as a turn that never completes. This test feeds a full session's
// events to those schemas directly.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { functionTool, type Json, startTestServer, TestClient } from "../../test/harness.ts";
import { audioChunks, speechAudio } from "../audio/speech-audio.ts";

interface ZodLike {
  safeParse(value: unknown): { success: boolean; error?: { issues: unknown[] } };
  options: Array<{ shape: { type: { value: string } } }>;
}

// The schemas are not exported by the package's public entry; load the module file the entry sits beside.
const require = createRequire(import.meta.url);
const sdkDir = dirname(require.resolve("@openai/agents-realtime"));
const { realtimeServerEventSchema } = require(join(sdkDir, "openaiRealtimeEvents.js")) as {
  realtimeServerEventSchema: ZodLike;
};
const known = new Set(realtimeServerEventSchema.options.map((o) => o.shape.type.value));

describe("the Agents SDK's event schemas", () => {
  it("accept every event of a session with voice, transcription, tools, truncation, cancellation and errors", async () => {
    const events: Json[] = [];
    const server = await startTestServer({ onServerEvent: (e) => void events.push(e) });
    const client = await TestClient.connect(server.url);
    await client.configure({
      audio: { input: { transcription: { model: "gpt-4o-mini-transcribe" } } },
      tools: [functionTool("get_weather", "Weather.", [["weather in Paris", { city: "Paris" }]])],
    });
    for (const chunk of audioChunks(speechAudio("weather in Rome")))
      client.send({ type: "input_audio_buffer.append", audio: chunk });
    const call = (await client.next("response.done")).response.output[0];
    client.send({
      type: "conversation.item.create",
      item: { type: "function_call_output", call_id: call.call_id, output: '{"sky":"blue"}' },
    });
    client.send({ type: "response.create" });
    const spoken = (await client.next("response.done")).response.output[0];
    client.send({
      type: "conversation.item.truncate",
      item_id: spoken.id,
      content_index: 0,
      audio_end_ms: 200,
    });
    client.send({ type: "conversation.item.retrieve", item_id: spoken.id });
    client.send({
      type: "response.create",
      response: { conversation: "none", instructions: 'Say exactly: "One moment."' },
    });
    await client.next("response.done");
    client.send({ type: "conversation.item.delete", item_id: spoken.id });
    client.send({ type: "response.cancel" });
    await client.next("error");
    client.send({ type: "input_audio_buffer.clear" });
    await client.next("input_audio_buffer.cleared");

    const failures = events
      .filter((e) => known.has(String(e.type)))
      .map((e) => ({ type: e.type, result: realtimeServerEventSchema.safeParse(e) }))
      .filter((r) => !r.result.success)
      .map((r) => ({ type: r.type, issues: r.result.error?.issues }));
    expect(failures).toEqual([]);
    const covered = new Set(events.map((e) => String(e.type)).filter((t) => known.has(t)));
    expect(covered.size).toBeGreaterThanOrEqual(25);
  });
});
