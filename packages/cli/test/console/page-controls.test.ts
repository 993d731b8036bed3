// The console's page controls in headless Chromium: an image pasted from the clipboard reaches the session as an
// `input_image`; the transcript and event-log links download files with secrets redacted; the page is operable from
// the keyboard alone (Tab order, Enter and Space, an approval answered by keyboard, Escape to interrupt), every
// control named. Each test waits for the page's socket frames or DOM states, never for time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silenceAudio } from "@parley/local-realtime";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSetup, launchChromium, pageErrors } from "../helpers/chromium.ts";
import {
  CONSOLE_FIXTURES,
  type ConsoleUnderTest,
  openConsole,
  type SocketLog,
  startTestConsole,
} from "../helpers/console-browser.ts";
import { wavFile } from "../helpers/mic.ts";

// Browser globals used inside page.evaluate: the tests compile against Node's types, without the DOM's (module scope).
declare const document: {
  activeElement: { dataset: Record<string, string | undefined>; tagName: string } | null;
};
declare const navigator: { clipboard: { write(items: unknown[]): Promise<void> } };
declare const ClipboardItem: new (items: Record<string, Blob>) => unknown;
declare const createImageBitmap: (blob: Blob) => Promise<{ width: number; height: number }>;
declare const OffscreenCanvas: new (
  width: number,
  height: number,
) => {
  getContext(type: "2d"): {
    drawImage(image: unknown, x: number, y: number): void;
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
};

const SECRET = "sk-live-0123456789abcdefghijklmnopqrstuv";
const PNG = readFileSync(`${CONSOLE_FIXTURES}key-card.png`);

let browser: Browser;
let consoleRun: ConsoleUnderTest;
let page: Page;
let log: SocketLog;
let errors: string[];
let scratch: string;

beforeAll(
  browserSetup(async () => {
    // A silent microphone: opening it from the keyboard must not start a turn of its own.
    scratch = mkdtempSync(join(tmpdir(), "parley-console-page-"));
    const silence = join(scratch, "silence.wav");
    writeFileSync(silence, wavFile(silenceAudio(5000)));
    [browser, consoleRun] = await Promise.all([
      launchChromium({ micWav: silence, loopMic: true }),
      startTestConsole(0, "front-desk", { variables: { hotel: SECRET } }),
    ]);
    page = await browser.newPage({
      viewport: { width: 1280, height: 720 },
      permissions: ["clipboard-read", "clipboard-write"],
    });
    errors = pageErrors(page);
    log = await openConsole(page, consoleRun.handle.url);
  }),
  60_000,
);
afterAll(async () => {
  await browser?.close();
  await consoleRun?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The data-testid (or tag) of the element that has the keyboard focus. */
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.dataset.testid ?? el?.tagName.toLowerCase() ?? "";
  });

/** Presses Tab until the element with `testid` has the focus (at most `limit` presses); false if never. */
async function tabTo(testid: string, limit = 30): Promise<boolean> {
  for (let i = 0; i < limit; i++) {
    if ((await focused()) === testid) return true;
    await page.keyboard.press("Tab");
  }
  return (await focused()) === testid;
}

describe("page controls in a browser", { timeout: 60_000 }, () => {
  it("a pasted image reaches the session as an input_image, with the text typed before it", async () => {
    const from = log.frames.length;
    await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const blob = new Blob([bytes], { type: "image/png" });
      await navigator.clipboard.write([new ClipboardItem({ "image/png": blob })]);
    }, PNG.toString("base64"));
    await page.getByTestId("text-input").fill("what does this card say");
    await page.getByTestId("text-input").press("Control+V");

    const { raw } = await log.waitForProtocol(
      "client",
      "conversation.item.create",
      (e) => (e.item as { role?: string }).role === "user",
      from,
    );
    const content = (raw.item as { content: Array<Record<string, string>> }).content;
    expect(content.map((c) => c.type)).toEqual(["input_text", "input_image"]);
    expect(content[0]?.text).toBe("what does this card say");
    // The clipboard re-encodes the PNG: the same picture, pixel for pixel, not the same bytes.
    const url = content[1]?.image_url as string;
    expect(url).toMatch(/^data:image\/png;base64,/);
    const pixels = (src: string) =>
      page.evaluate(async (source) => {
        // (no fetch of the data: URL: the page's Content-Security-Policy keeps it to its own origin)
        const bytes = Uint8Array.from(atob(source.split(",")[1] as string), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext("2d");
        context.drawImage(bitmap, 0, 0);
        const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
        return { width: bitmap.width, height: bitmap.height, data: [...data] };
      }, src);
    const sent = await pixels(url);
    expect(sent).toEqual(await pixels(`data:image/png;base64,${PNG.toString("base64")}`));
    expect([sent.width, sent.height]).toEqual([16, 10]);
    // The page shows the image with the user's turn, and the text box is empty again.
    await page.locator('[data-testid="transcript-line"][data-role="user"] img').waitFor();
    expect(await page.getByTestId("text-input").inputValue()).toBe("");
    await log.waitForEvent((e) => e.type === "response.done", from);
  });

  it("downloads the transcript and the event log, secrets redacted", async () => {
    const from = log.frames.length;
    await page.getByTestId("text-input").fill(`look up booking ABC, my key is ${SECRET}`);
    await page.getByTestId("send-button").click();
    await log.waitForEvent((e) => e.type === "response.done", from);

    const download = async (testid: string) => {
      const [file] = await Promise.all([
        page.waitForEvent("download"),
        page.getByTestId(testid).click(),
      ]);
      return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
    };
    const transcript = await download("download-transcript");
    expect(transcript.name).toBe("parley-transcript.txt");
    expect(transcript.text).toMatch(/^\S+ user: look up booking ABC, my key is \[redacted\]$/m);
    expect(transcript.text).toMatch(/^\S+ user: what does this card say/m);
    expect(transcript.text).not.toContain(SECRET);

    const events = await download("download-events");
    expect(events.name).toBe("parley-events.jsonl");
    expect(events.text).not.toContain(SECRET);
    const lines = events.text.trimEnd().split("\n");
    const parsed = lines.map((line) => JSON.parse(line) as { type: string; transcript?: string });
    expect(parsed.some((e) => e.type === "user.transcript.done")).toBe(true);
    // Every event the page drew is in the log (the log also has the per-chunk audio events the page never gets).
    expect(parsed.length).toBeGreaterThanOrEqual(log.events("user.transcript.done").length);
  });

  it("is operable by keyboard: every control named and reached by Tab in order; Enter, Space and Escape work", async () => {
    // Every interactive element has an accessible name.
    const tree = await page.locator(".console").ariaSnapshot();
    for (const line of tree.split("\n")) {
      if (/^\s*- (button|link|textbox|checkbox|meter)\b/.test(line))
        expect(line, `unnamed control: ${line}`).toMatch(/- \w+ "[^"]+"/);
    }

    // Tab from the top of the page: the session controls, the voice controls, the composer, in reading order.
    // A click on the heading (not focusable) puts the Tab starting point at the top.
    await page.locator("h1").click();
    const order: string[] = [];
    for (let i = 0; i < 30 && order.at(-1) !== "body"; i++) {
      await page.keyboard.press("Tab");
      order.push(await focused());
    }
    const controls = [
      "restart-button",
      "end-button",
      "download-transcript",
      "download-events",
      "mic-button",
      "push-to-talk",
      "mute-button",
      "interrupt-button",
      "text-input",
      "image-input",
    ];
    // One round through the page (then the focus leaves it, to the browser's own controls: `body`).
    expect(
      order.filter((id) => controls.includes(id)),
      order.join(", "),
    ).toEqual(controls);

    // Space toggles the open mic on the focused button; Enter toggles it back.
    await page.getByTestId("mic-button").focus();
    await page.keyboard.press(" ");
    await page.locator('[data-testid="mic-button"][aria-pressed="true"]').waitFor();
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="mic-button"][aria-pressed="false"]').waitFor();

    // Enter sends the typed text; the approval card is reached by Tab and answered with Enter.
    const from = log.frames.length;
    await page.getByTestId("text-input").focus();
    await page.keyboard.type("book a room for 2 nights");
    await page.keyboard.press("Enter");
    const entry = page.locator('[data-testid="tool-entry"][data-tool="book_room"]').last();
    await entry.locator('[data-testid="approve-button"]').waitFor();
    expect(await tabTo("approve-button")).toBe(true);
    await page.keyboard.press("Enter");
    const { event: decided } = await log.waitForEvent((e) => e.type === "approval.decided", from);
    expect(decided).toMatchObject({ approved: true });
    await entry.and(page.locator('[data-state="completed"]')).waitFor();

    // Escape anywhere interrupts.
    const sentFrom = log.sent.length;
    await page.keyboard.press("Escape");
    await log.waitForSent((f) => f.type === "interrupt", sentFrom);
    expect(errors).toEqual([]);
  });
});
