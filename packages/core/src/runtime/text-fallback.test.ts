import { speechAudio } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";
import { loadAgent } from "../load/index.ts";
import type { StreamEvent } from "./event-stream.ts";
import type { Session } from "./session.ts";
import { fixture, type LocalServer, next, open, startServer } from "./test-support/harness.ts";
import { audioErrorKind } from "./text-fallback.ts";

let server: LocalServer | undefined;
const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await server?.close();
  server = undefined;
});

/** One push-to-talk turn without an answer: its transcription succeeds or fails as the server's faults say. */
function speak(session: Session, words: string): void {
  session.appendAudio(speechAudio(words));
  session.commitAudio({ respond: false });
}

describe("text fallback", () => {
  it("switches to text after repeated transcription failures, answers in text, and switches back when audio works", async () => {
    server = await startServer({ faults: { failTranscription: true } });
    const { session, received, invalid } = await open(server, "push-to-talk.agent.yaml");
    sessions.push(session);
    const streamed: StreamEvent[] = [];
    session.onEvent((e) => streamed.push(e));
    let failures = 0;
    const twoFailed = next(
      session,
      "server.event",
      (e) => e.type === "conversation.item.input_audio_transcription.failed" && ++failures === 2,
    );
    speak(session, "hello there");
    speak(session, "can you hear me");
    await twoFailed;
    expect(session.mode).toBe("audio"); // two failures: not yet
    const toText = next(session, "mode.changed");
    // The agent itself tells the user, once, in text (the switch is applied before it speaks).
    const told = next(session, "agent.transcript.done");
    const textDeltas = received.length;
    speak(session, "anyone");
    expect(await toText).toMatchObject({ mode: "text", reason: "audio_errors" });
    expect(session.mode).toBe("text");
    expect(session.settings.textOnly).toBe(true);
    expect((await told).transcript).toMatch(/continue by text/i);
    expect(received.slice(textDeltas).map((e) => e.type)).toContain("response.output_text.delta");
    // The conversation is intact: the three user audio items are still there.
    expect(
      session.snapshot().items.filter((i) => i.type === "message" && i.role === "user"),
    ).toHaveLength(3);

    // The next typed turn is answered in text, not audio.
    const firstTextTurn = received.length;
    const answered = next(session, "agent.transcript.done");
    session.sendText("What time is breakfast?");
    expect((await answered).transcript.length).toBeGreaterThan(0);
    const after = received.slice(firstTextTurn).map((e) => e.type);
    expect(after).toContain("response.output_text.delta");
    expect(after).not.toContain("response.output_audio.delta");

    // Audio works again: the next transcription completes and the session goes back to audio.
    server.setFaults({});
    const toAudio = next(session, "mode.changed");
    const toldBack = next(session, "agent.transcript.done");
    speak(session, "is the pool open");
    expect(await toAudio).toMatchObject({ mode: "audio", reason: "recovered" });
    expect((await toldBack).transcript).toMatch(/back to voice/i);
    expect(session.settings.textOnly).toBe(false);
    expect(
      streamed.filter((e) => e.type === "mode.changed").map((e) => (e as { mode: string }).mode),
    ).toEqual(["text", "audio"]);
    expect(invalid).toEqual([]);
  });

  it("switches on the application's word (a microphone denied) and back, telling the user each time", async () => {
    server = await startServer();
    const { session, invalid } = await open(server, "assistant.agent.yaml");
    sessions.push(session);
    const changes: Array<{ mode: string; reason: string; notice: string }> = [];
    session.on("mode.changed", (e) => changes.push(e));
    await session.useText("microphone_denied");
    await session.useText("microphone_denied"); // already in text: nothing more
    expect(session.settings.textOnly).toBe(true);
    // An agent change in text mode stays in text (its audio output comes back with useAudio).
    await session.updateAgent(await loadAgent(fixture("assistant.agent.yaml")));
    expect(session.settings.textOnly).toBe(true);
    await session.useAudio();
    expect(session.settings.textOnly).toBe(false);
    expect(changes.map((c) => [c.mode, c.reason])).toEqual([
      ["text", "microphone_denied"],
      ["audio", "application"],
    ]);
    expect(changes.every((c) => c.notice.length > 0)).toBe(true);
    expect(invalid).toEqual([]);
  });

  it("does not count empty commits (a push-to-talk released on silence) toward the switch", async () => {
    server = await startServer();
    const { session, invalid } = await open(server, "push-to-talk.agent.yaml");
    sessions.push(session);
    const changes: unknown[] = [];
    session.on("mode.changed", (e) => changes.push(e));
    let empties = 0;
    const fourRefused = next(
      session,
      "server.event",
      (e) =>
        e.type === "error" && e.error.code === "input_audio_buffer_commit_empty" && ++empties === 4,
    );
    for (let i = 0; i < 4; i++) session.commitAudio({ respond: false });
    await fourRefused;
    // Then a real turn: it is heard and transcribed, and the session is still in audio.
    const heard = next(session, "user.transcript.done");
    speak(session, "hello there");
    await heard;
    expect(session.mode).toBe("audio");
    expect(changes).toEqual([]);
    expect(invalid).toEqual([]);
  });

  it("classifies error events by their exact param", () => {
    expect(
      audioErrorKind({ code: "input_audio_buffer_commit_empty", param: null }),
    ).toBeUndefined();
    expect(
      audioErrorKind({ code: "invalid_value", param: "session.audio.input.transcription.model" }),
    ).toBe("transcription_refused");
    expect(audioErrorKind({ code: "invalid_value", param: "audio" })).toBe("audio");
    expect(
      audioErrorKind({ code: "invalid_value", param: "session.audio.input.format.type" }),
    ).toBe("audio");
    expect(
      audioErrorKind({ code: "invalid_value", param: "session.audio.output.voice" }),
    ).toBeUndefined();
    expect(audioErrorKind({ code: "invalid_value", param: "session.tools" })).toBeUndefined();
    expect(audioErrorKind({ code: "rate_limit_exceeded", param: null })).toBeUndefined();
  });
});
