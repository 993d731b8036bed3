import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { badFrame, mustRefuse } from "../test/frame-mutations.ts";
import { startTestServer, TestClient } from "../test/harness.ts";

// Issue 11's bar for frames: the real server on loopback answers every bad frame with an error event, stays up,
// and keeps serving a good client on another socket. Each bad frame is followed by `input_audio_buffer.clear`,
// whose `cleared` marks that the server has finished with the frame before it (no waiting on quiet spells).
const FRAMES = 100;

describe("fuzzed frames against the local server", () => {
  it(`${FRAMES} bad frames each get an error event; the server keeps serving`, async () => {
    const server = await startTestServer();
    const good = await TestClient.connect(server.url);
    await good.configure({ output_modalities: ["text"] });
    const fuzzer = await TestClient.connect(server.url);
    await fuzzer.configure({
      output_modalities: ["text"],
      audio: { input: { turn_detection: null } },
    });
    const frames = fc
      .sample(badFrame(0.1), { numRuns: FRAMES * 2, seed: 11 })
      .filter((f) => mustRefuse(f.frame))
      .slice(0, FRAMES);
    expect(frames.length).toBe(FRAMES);
    const unanswered: string[] = [];
    for (const { family, frame } of frames) {
      const from = fuzzer.events.length;
      fuzzer.ws.send(frame);
      fuzzer.send({ type: "input_audio_buffer.clear" });
      await fuzzer.next("input_audio_buffer.cleared", () => true, 30_000);
      const answer = fuzzer.events.slice(from).find((e) => e.type === "error");
      if (!answer) unanswered.push(`${family}: ${frame.slice(0, 80)}`);
      else expect(answer.error.type, family).toMatch(/invalid_request_error|server_error/);
    }
    expect(unanswered).toEqual([]);
    expect(fuzzer.closed).toBe(false);
    expect(server.sessions).toBe(2);
    const done = await good.say("hello");
    expect(done.response.status).toBe("completed");
  }, 300_000);
});
