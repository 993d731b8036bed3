import { speechAudio } from "@parley/local-realtime";
import { describe, expect, it } from "vitest";
import type { PageSocket, Received } from "../../test/helpers/console-page.ts";
import { useConsoleRun } from "../../test/helpers/console-run.ts";

const run = useConsoleRun("dev");

async function start(): Promise<{ page: PageSocket; idle: number }> {
  await run.start("desk.agent.yaml");
  const page = await run.open();
  const greeted = await page.event("agent.transcript.done", 0, (e) => e.kind === "greeting");
  const idle = await page.event("idle", greeted.at);
  return { page, idle: idle.at };
}

/** Two phrases with a pause longer than the agent's VAD silence between them, sent as the page does: 20 ms frames. */
function speakWithPause(page: PageSocket): void {
  const audio = Buffer.concat([
    speechAudio("book a room", { silenceAfterMs: 800 }),
    speechAudio("for two nights", { silenceAfterMs: 800 }),
  ]);
  for (let at = 0; at < audio.length; at += 960) page.sendAudio(audio.subarray(at, at + 960));
}

type ServerEventName = string;
function serverEvents(received: Received[], type: ServerEventName, from: number, to: number) {
  return received
    .slice(from, to)
    .filter(
      (m) => m.type === "event" && m.event.type === "server.event" && m.event.event.type === type,
    );
}

/** The turn detection a `session.updated` (a server event in the page's feed) says is in force. */
function turnDetection(m: Received): unknown {
  if (m.type !== "event" || m.event.type !== "server.event") return undefined;
  const e = m.event.event as {
    type: string;
    session?: { audio?: { input?: { turn_detection?: unknown } } };
  };
  return e.session?.audio?.input?.turn_detection;
}

function isUpdated(m: Received): boolean {
  return (
    m.type === "event" &&
    m.event.type === "server.event" &&
    m.event.event.type === "session.updated"
  );
}

describe("hold-to-talk in the console", { timeout: 120_000 }, () => {
  it("switches the agent's turn detection off while held: a pause makes no turn; the release makes exactly one answer", async () => {
    const { page, idle } = await start();
    page.send({ type: "ptt", state: "down" });
    speakWithPause(page);
    page.send({ type: "ptt", state: "up" });
    const off = await page.waitFor(isUpdated, idle);
    expect(turnDetection(off.message)).toBeNull();
    const committed = await page.event(
      "server.event",
      off.at,
      (e) => e.event.type === "input_audio_buffer.committed",
    );
    const answered = await page.event(
      "server.event",
      committed.at,
      (e) => e.event.type === "response.done",
    );

    // Leaving hold-to-talk puts the agent's own turn detection back.
    page.send({ type: "ptt", state: "off" });
    const back = await page.waitFor(isUpdated, answered.at);
    expect(turnDetection(back.message)).toMatchObject({ type: "server_vad" });
    // Then a typed turn: its response is the next one, so none came from the held audio after the release's.
    page.send({ type: "text", text: "look up booking ABC" });
    const typed = await page.event("tool.output", back.at, (e) => e.tool === "lookup_booking");
    const nextResponse = await page.event(
      "server.event",
      back.at,
      (e) => e.event.type === "response.created",
    );
    expect(nextResponse.at).toBeLessThan(typed.at);
    expect(serverEvents(page.received, "input_audio_buffer.speech_started", idle, back.at)).toEqual(
      [],
    );
    expect(serverEvents(page.received, "input_audio_buffer.committed", idle, back.at)).toHaveLength(
      1,
    );
    expect(serverEvents(page.received, "response.created", idle, nextResponse.at)).toHaveLength(1);
    expect(page.received.slice(idle).filter((m) => m.type === "problem")).toEqual([]);

    // The control: the same audio with the agent's turn detection on makes two turns by itself.
    await page.event("idle", typed.at);
    const mark = page.received.length;
    speakWithPause(page);
    const first = await page.event(
      "server.event",
      mark,
      (e) => e.event.type === "input_audio_buffer.committed",
    );
    await page.event(
      "server.event",
      first.at + 1,
      (e) => e.event.type === "input_audio_buffer.committed",
    );
  });

  it("puts the agent's turn detection back when the page holding to talk goes away", async () => {
    const { page } = await start();
    const watcher = await run.open();
    await watcher.waitFor((m) => m.type === "hello");
    page.send({ type: "ptt", state: "down" });
    const off = await watcher.waitFor((m) => isUpdated(m) && turnDetection(m) === null);
    page.close();
    const back = await watcher.waitFor(isUpdated, off.at + 1);
    expect(turnDetection(back.message)).toMatchObject({ type: "server_vad" });
  });
});
