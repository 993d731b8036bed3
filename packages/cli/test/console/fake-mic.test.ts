// The browser harness on its own, apart from the console: Chromium's fake microphone plays the WAV fixture, a page
// sends it as PCM16 to the local server, and the server hears one turn and transcribes it. When a console voice test
// fails, this one says whether the harness (Chromium, the fixture, the tone carrier) or the console is at fault.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type LocalRealtime, startLocalRealtime } from "@parley/local-realtime";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, pageErrors } from "../helpers/chromium.ts";
import { MIC_SAYS, MIC_WAV, micRecording } from "../helpers/mic.ts";

const FIXTURES = new URL("../fixtures/console/", import.meta.url);
let browser: Browser;
let local: LocalRealtime;
let pages: Server;
let pagesUrl: string;

beforeAll(async () => {
  [browser, local] = await Promise.all([
    launchChromium({ micWav: MIC_WAV }),
    startLocalRealtime({ pace: 0 }),
  ]);
  pages = createServer((req, res) => {
    const name = req.url === "/mic-worklet.js" ? "mic-worklet.js" : "mic-page.html";
    res.setHeader("content-type", name.endsWith(".js") ? "text/javascript" : "text/html");
    res.end(readFileSync(new URL(name, FIXTURES)));
  });
  await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
  pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await browser?.close();
  await local?.close();
  await new Promise((resolve) => pages?.close(resolve));
});

describe("the fake microphone", () => {
  it("is the fixture its generator makes", () => {
    expect(readFileSync(MIC_WAV).equals(micRecording())).toBe(true);
  });

  it("reaches the local server through a page: one VAD turn, committed and transcribed", async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(pagesUrl);
    await page.evaluate(
      (url) => (window as never as { listen: (u: string) => Promise<void> }).listen(url),
      `${local.url}?model=gpt-realtime`,
    );
    const done = await page.waitForFunction(() =>
      (window as never as { events: Array<{ type: string }> }).events.find(
        (e) => e.type === "conversation.item.input_audio_transcription.completed",
      ),
    );
    expect(await done.jsonValue()).toMatchObject({ transcript: MIC_SAYS });
    const types = await page.evaluate(() =>
      (window as never as { events: Array<{ type: string }> }).events.map((e) => e.type),
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
