// Voice through the console in headless Chromium: the fake microphone plays the WAV fixture (a person saying
// MIC_SAYS as the local server's tone carrier), the page captures it and sends it to Parley, the local server hears a
// turn and transcribes it; the agent's audio comes back to the page; speaking over the agent truncates its reply at
// what the page played. First, the harness alone (a minimal page straight to the local server): when the console
// test fails, that one says whether Chromium, the fixture or the console is at fault.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type LocalRealtime, startLocalRealtime } from "@parley/local-realtime";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSetup, launchChromium, pageErrors } from "../helpers/chromium.ts";
import {
  type ConsoleUnderTest,
  openConsole,
  startTestConsole,
} from "../helpers/console-browser.ts";
import { MIC_SAYS, MIC_WAV, micRecording } from "../helpers/mic.ts";

const FIXTURES = new URL("../fixtures/console/", import.meta.url);
let browser: Browser;
let local: LocalRealtime;
let pages: Server;
let pagesUrl: string;
let consoleRun: ConsoleUnderTest;

beforeAll(
  browserSetup(async () => {
    // Real-time pace: the agent is still speaking when the person speaks over it.
    [browser, local, consoleRun] = await Promise.all([
      launchChromium({ micWav: MIC_WAV }),
      startLocalRealtime({ pace: 0 }),
      startTestConsole(1, "lobby"),
    ]);
    pages = createServer((req, res) => {
      const name = req.url === "/mic-worklet.js" ? "mic-worklet.js" : "mic-page.html";
      res.setHeader("content-type", name.endsWith(".js") ? "text/javascript" : "text/html");
      res.end(readFileSync(new URL(name, FIXTURES)));
    });
    await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
    pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/`;
  }),
  60_000,
);
afterAll(async () => {
  await browser?.close();
  await consoleRun?.close();
  await local?.close();
  await new Promise((resolve) => pages?.close(resolve));
});

describe("the fake microphone", { timeout: 60_000 }, () => {
  it("is the fixture its generator makes", () => {
    expect(readFileSync(MIC_WAV).equals(micRecording())).toBe(true);
  });

  it("reaches the local server through a page: one VAD turn, committed and transcribed", async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(pagesUrl);
    await page.evaluate(
      (url) => (globalThis as unknown as { listen: (u: string) => Promise<void> }).listen(url),
      `${local.url}?model=gpt-realtime`,
    );
    const done = await page.waitForFunction(() =>
      (globalThis as unknown as { events: Array<{ type: string }> }).events.find(
        (e) => e.type === "conversation.item.input_audio_transcription.completed",
      ),
    );
    expect(await done.jsonValue()).toMatchObject({ transcript: MIC_SAYS });
    const types = await page.evaluate(() =>
      (globalThis as unknown as { events: Array<{ type: string }> }).events.map((e) => e.type),
    );
    const turn = types.filter((t) => t.startsWith("input_audio_buffer."));
    expect(turn).toEqual([
      "input_audio_buffer.speech_started",
      "input_audio_buffer.speech_stopped",
      "input_audio_buffer.committed",
    ]);
    expect(errors).toEqual([]);
  });
});

describe("voice in the console", { timeout: 90_000 }, () => {
  it("speech from the microphone is a turn; the agent's audio plays; speaking over it truncates at what was played", async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const log = await openConsole(page, consoleRun.handle.url);
    // A long typed question gets a long spoken answer (the rules model repeats it back: ~13 s of audio).
    const question =
      "Could you tell me when the swimming pool and the gym open in the morning, how early breakfast is " +
      "served for a seven o'clock train, and whether parking is included in the price";
    await page.getByTestId("text-input").fill(question);
    await page.getByTestId("send-button").click();
    const { event: firstAudio } = await log.waitForEvent((e) => e.type === "agent.audio");
    const agentItem = firstAudio.itemId as string;
    // The agent's audio reaches the page and is played there.
    await page.locator('[data-testid="meter-audio"]:not([data-bytes="0"])').waitFor();

    // Open the mic while the agent speaks: the recording starts with a pause, then the person talks over it.
    await page.getByTestId("mic-button").click();
    const { raw: started } = await log.waitForProtocol(
      "server",
      "input_audio_buffer.speech_started",
    );
    const { event: interrupted } = await log.waitForEvent((e) => e.type === "interrupted");
    expect(interrupted).toMatchObject({ itemId: agentItem });
    const { raw: truncate } = await log.waitForProtocol("client", "conversation.item.truncate");
    expect(truncate).toMatchObject({ item_id: agentItem, audio_end_ms: interrupted.playedMs });
    // Cut where the page was playing: some of the answer was heard, most of it was not.
    const played = truncate.audio_end_ms as number;
    expect(played).toBeGreaterThan(0);
    expect(played).toBeLessThan(question.length * 60);
    await page
      .locator(
        `[data-testid="transcript-line"][data-item-id="${agentItem}"][data-interrupted="true"]`,
      )
      .waitFor();

    // The turn: VAD stopped it, the audio was committed as the user's item and transcribed exactly.
    const { raw: committed } = await log.waitForProtocol("server", "input_audio_buffer.committed");
    expect(committed.item_id).toBe(started.item_id);
    const { raw: heard } = await log.waitForProtocol(
      "server",
      "conversation.item.input_audio_transcription.completed",
    );
    expect(heard).toMatchObject({ item_id: started.item_id, transcript: MIC_SAYS });
    await page
      .locator('[data-testid="transcript-line"][data-role="user"]', { hasText: MIC_SAYS })
      .waitFor();
    // And the agent answers it out loud.
    const { event: answer } = await log.waitForEvent(
      (e) => e.type === "agent.transcript.done" && /^Hello/.test(String(e.transcript)),
    );
    await log.waitForEvent((e) => e.type === "agent.audio" && e.itemId === answer.itemId);
    expect(errors).toEqual([]);
  });

  it("a microphone lost mid-call switches the session to text (the agent says so), and a working one switches back", async () => {
    const own = await startTestConsole(0, "lobby");
    try {
      const page = await browser.newPage();
      const errors = pageErrors(page);
      // Keep the page's microphone streams, so the test can end the track as an unplugged device would.
      await page.addInitScript(() => {
        // Page code (no DOM types in the tests' tsconfig): the shapes used, written out.
        type Stream = { getAudioTracks(): Array<{ dispatchEvent(e: unknown): boolean }> };
        const g = globalThis as unknown as {
          micStreams: Stream[];
          navigator: { mediaDevices: { getUserMedia(c: unknown): Promise<Stream> } };
        };
        g.micStreams = [];
        const media = g.navigator.mediaDevices;
        const get = media.getUserMedia.bind(media);
        media.getUserMedia = async (c: unknown) => {
          const stream = await get(c);
          g.micStreams.push(stream);
          return stream;
        };
      });
      const log = await openConsole(page, own.handle.url);
      await page.getByTestId("mic-button").click();
      await page.waitForFunction(
        () => (globalThis as unknown as { micStreams: unknown[] }).micStreams.length === 1,
      );
      await page.evaluate(() => {
        const g = globalThis as unknown as {
          micStreams: Array<{ getAudioTracks(): Array<{ dispatchEvent(e: unknown): boolean }> }>;
          Event: new (type: string) => unknown;
        };
        g.micStreams[0]?.getAudioTracks()[0]?.dispatchEvent(new g.Event("ended"));
      });
      const { event: toText } = await log.waitForEvent((e) => e.type === "mode.changed");
      expect(toText).toMatchObject({ mode: "text", reason: "microphone_lost" });
      await log.waitForEvent(
        (e) => e.type === "agent.transcript.done" && /continue by text/i.test(String(e.transcript)),
      );
      // The microphone works again: opening it switches the session back to voice.
      await page.getByTestId("mic-button").click();
      const { event: toAudio } = await log.waitForEvent(
        (e) => e.type === "mode.changed" && e.mode === "audio",
      );
      expect(toAudio).toMatchObject({ reason: "microphone_restored" });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await own.close();
    }
  });
});
