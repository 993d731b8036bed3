// The console's voice controls clicked in headless Chromium, against an agent without turn detection (the page's
// push-to-talk decides the turn): hold-to-talk by pointer and by keyboard, mute, and the Interrupt button while the
// agent is heard. The fake microphone plays the WAV fixture (MIC_SAYS as the local server's tone carrier). Every wait
// is for a frame the page sent or received, or a DOM state, never for time.
import { type LocalRealtime, startLocalRealtime } from "@parley/local-realtime";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSetup, launchChromium, pageErrors } from "../helpers/chromium.ts";
import {
  type ConsoleUnderTest,
  openConsole,
  type SocketLog,
  startTestConsole,
} from "../helpers/console-browser.ts";
import { MIC_SAYS, MIC_WAV } from "../helpers/mic.ts";

// The page's document, inside page.waitForFunction: the tests compile against Node's types, without the DOM's.
declare const document: {
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
};

/** The fixture's words end 2.78 s into the file: 190 frames of 20 ms sent means they are all in, with 1 s to spare. */
const FRAMES_PAST_THE_WORDS = 190;

let browser: Browser;
let local: LocalRealtime;
let consoleRun: ConsoleUnderTest;
let page: Page;
let log: SocketLog;
let errors: string[];

beforeAll(
  browserSetup(async () => {
    // The agent's audio streams at real time (the local server sends it 4× faster by default): a long answer is
    // still being generated when the Interrupt button is clicked, so there is a response to cancel.
    [browser, local] = await Promise.all([
      launchChromium({ micWav: MIC_WAV }),
      startLocalRealtime({ pace: 1, audioPace: 1 }),
    ]);
    consoleRun = await startTestConsole(1, "walkie", { url: local.url });
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    errors = pageErrors(page);
    log = await openConsole(page, consoleRun.handle.url);
  }),
  60_000,
);
afterAll(async () => {
  await browser?.close();
  await consoleRun?.close();
  await local?.close();
});

async function type(text: string): Promise<number> {
  const from = log.sent.length;
  await page.getByTestId("text-input").fill(text);
  await page.getByTestId("send-button").click();
  return (await log.waitForSent((f) => f.type === "text" && f.text === text, from)).at;
}

/** The agent's words for an item so far, from its transcript deltas. */
const saidSoFar = (itemId: string) =>
  log
    .events("agent.transcript.delta")
    .filter((e) => e.itemId === itemId)
    .map((e) => String(e.delta))
    .join("");

const pressed = (testid: string, on: boolean) =>
  page.locator(`[data-testid="${testid}"][aria-pressed="${on}"]`).waitFor();

describe("voice controls in a browser", { timeout: 90_000 }, () => {
  it("push-to-talk: held, the microphone reaches the session and nothing is committed; released, one turn, answered", async () => {
    const from = log.frames.length;
    const sentFrom = log.sent.length;
    await page.getByTestId("push-to-talk").hover();
    await page.mouse.down();
    await pressed("push-to-talk", true);
    await log.waitForMicFrames(FRAMES_PAST_THE_WORDS, sentFrom);
    // Still held: the words went in, and no turn ended (the agent has no turn detection; the page decides).
    expect(log.protocol("server", "input_audio_buffer.committed")).toEqual([]);
    expect(log.protocol("client", "input_audio_buffer.commit")).toEqual([]);

    await page.mouse.up();
    await pressed("push-to-talk", false);
    await log.waitForProtocol("client", "input_audio_buffer.commit", () => true, from);
    const { raw: committed } = await log.waitForProtocol(
      "server",
      "input_audio_buffer.committed",
      () => true,
      from,
    );
    const { raw: heard } = await log.waitForProtocol(
      "server",
      "conversation.item.input_audio_transcription.completed",
      (e) => e.item_id === committed.item_id,
      from,
    );
    expect(heard.transcript).toBe(MIC_SAYS);
    await page
      .locator('[data-testid="transcript-line"][data-role="user"]', { hasText: MIC_SAYS })
      .waitFor();
    const { event: answer } = await log.waitForEvent(
      (e) => e.type === "agent.transcript.done" && /^Hello/.test(String(e.transcript)),
      from,
    );
    await log.waitForEvent((e) => e.type === "agent.audio" && e.itemId === answer.itemId, from);
    expect(log.protocol("client", "input_audio_buffer.commit")).toHaveLength(1);
  });

  it("push-to-talk by keyboard: Space held on the focused button talks, released commits", async () => {
    const from = log.frames.length;
    const sentFrom = log.sent.length;
    const commits = log.protocol("client", "input_audio_buffer.commit").length;
    await page.getByTestId("push-to-talk").focus();
    await page.keyboard.down(" ");
    await pressed("push-to-talk", true);
    await log.waitForMicFrames(10, sentFrom);
    await page.keyboard.up(" ");
    await pressed("push-to-talk", false);
    await log.waitForProtocol("server", "input_audio_buffer.committed", () => true, from);
    expect(log.protocol("client", "input_audio_buffer.commit")).toHaveLength(commits + 1);
  });

  it("mute: the microphone still hears (its level meter counts) but no audio frame leaves; unmuted, frames flow", async () => {
    const sentFrom = log.sent.length;
    await page.getByTestId("mic-button").click();
    await pressed("mic-button", true);
    await log.waitForMicFrames(5, sentFrom);

    await page.getByTestId("mute-button").click();
    await pressed("mute-button", true);
    const first = await type("first marker");
    // A second of microphone audio captured while muted (the page's meter counts 20 ms chunks)…
    const level = page.getByTestId("mic-level");
    const chunks = Number(await level.getAttribute("data-chunks"));
    await page.waitForFunction(
      (target) => Number(document.getElementById("mic-level")?.dataset.chunks) >= target,
      chunks + 50,
    );
    expect(await level.getAttribute("aria-label")).toMatch(/muted/);
    const second = await type("second marker");
    // …and not one audio frame sent between the two messages (one socket: its frames stay in order).
    expect(log.micFrames(first, second)).toBe(0);

    await page.getByTestId("mute-button").click();
    await pressed("mute-button", false);
    await log.waitForMicFrames(1, second);
    await page.getByTestId("mic-button").click();
    await pressed("mic-button", false);
  });

  it("the Interrupt button while the agent is heard: its response is cancelled and truncated where the page was", async () => {
    // Earlier tests' turns (the markers, the push-to-talk commits) may still be answered while this one starts, and
    // a moment with every started response done proves nothing about one about to start: the answer under test is
    // found by its words, and its response by its item.
    const from = log.frames.length;
    const sentFrom = log.sent.length;
    // A long question gets a long spoken answer (the rules model repeats it back: 60 ms a character, over 20 s
    // streamed at real time), so the click comes long before the response is done.
    const question =
      "Could you tell me when the swimming pool and the gym open in the morning, how early breakfast is " +
      "served for a seven o'clock train, whether parking is included in the price, and whether the spa, " +
      "the sauna and the roof terrace are open to guests who arrive late in the evening after ten o'clock";
    await type(question);
    const { event: words } = await log.waitForEvent(
      (e) =>
        e.type === "agent.transcript.delta" &&
        saidSoFar(String(e.itemId)).includes("the swimming pool"),
      from,
    );
    const item = String(words.itemId);
    // The page reports what it has played of that item: it is being heard.
    await log.waitForSent(
      (f) => f.type === "playback" && f.itemId === item && (f.playedMs as number) > 0,
      sentFrom,
    );

    await page.getByTestId("interrupt-button").click();
    const { frame: interrupt } = await log.waitForSent((f) => f.type === "interrupt", sentFrom);
    const played = (interrupt as { playedMs?: number }).playedMs as number;
    expect(played).toBeGreaterThan(0);
    const { raw: truncate } = await log.waitForProtocol(
      "client",
      "conversation.item.truncate",
      (e) => e.item_id === item,
      from,
    );
    expect(truncate.audio_end_ms).toBe(played);
    expect(played).toBeLessThan(question.length * 60);
    await log.waitForProtocol("client", "response.cancel", () => true, from);
    const { raw: done } = await log.waitForProtocol(
      "server",
      "response.done",
      (e) =>
        (e.response as { output?: Array<{ id?: string }> }).output?.some((o) => o.id === item) ===
        true,
      from,
    );
    expect((done.response as { status: string }).status).toBe("cancelled");
    await page
      .locator(`[data-testid="transcript-line"][data-item-id="${item}"][data-interrupted="true"]`)
      .waitFor();
    expect(errors).toEqual([]);
  });
});
