// The console in headless Chromium (Debian's, driven by playwright-core): typed turns, a tool call with its filler
// and an approval clicked in the page, and live reload on save. One browser and one console for the file; each
// test waits for DOM states and the socket's events, never for time.
import { readFileSync, writeFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSetup, launchChromium, pageErrors } from "../helpers/chromium.ts";
import {
  type ConsoleUnderTest,
  openConsole,
  type SocketLog,
  startTestConsole,
} from "../helpers/console-browser.ts";

let browser: Browser;
let consoleRun: ConsoleUnderTest;
let page: Page;
let log: SocketLog;
let errors: string[];

beforeAll(
  browserSetup(async () => {
    [browser, consoleRun] = await Promise.all([launchChromium(), startTestConsole()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    errors = pageErrors(page);
    log = await openConsole(page, consoleRun.handle.url);
  }),
  60_000,
);
afterAll(async () => {
  await browser?.close();
  await consoleRun?.close();
});

const gate = globalThis as { consoleGate?: Promise<void> };

async function type(text: string) {
  await page.getByTestId("text-input").fill(text);
  await page.getByTestId("send-button").click();
}

describe("the console in a browser", { timeout: 60_000 }, () => {
  it("shows the agent it runs", async () => {
    await expect(page.getByTestId("agent-name").textContent()).resolves.toContain("front-desk");
    await expect(page.getByTestId("agent-voice").textContent()).resolves.toContain("marin");
    expect(await page.getByTestId("agent-tools").locator("li").getAttribute("data-tool")).toBe(
      "book_room",
    );
  });

  it("a typed turn runs a tool: approval clicked in the page, the filler while it runs, the output", async () => {
    let release = () => {};
    gate.consoleGate = new Promise<void>((resolve) => (release = resolve));
    await type("book a room for 2 nights");
    await page
      .locator('[data-testid="transcript-line"][data-role="user"]', {
        hasText: "book a room for 2 nights",
      })
      .waitFor();

    const entry = page.locator('[data-testid="tool-entry"][data-tool="book_room"]');
    await entry.locator('[data-testid="approval-card"]').waitFor();
    expect(JSON.parse((await entry.getByTestId("tool-arguments").textContent()) ?? "")).toEqual({
      nights: 2,
    });
    // While it waits for approval the agent says so. The click waits for that line: approved sooner than the
    // filler's 100 ms (a quick machine), the call would never have needed one.
    await entry
      .getByTestId("tool-filler")
      .filter({ hasText: "waiting for a confirmation" })
      .waitFor();
    await entry.getByTestId("approve-button").click();
    const decided = await log.waitForEvent((e) => e.type === "approval.decided");
    expect(decided.event).toMatchObject({ approved: true });

    // The handler is held open (the gate) until the filler has been shown: the filler covers a running call.
    await entry.and(page.locator('[data-state="running"]')).waitFor();
    // Once running, the tool's own filler line.
    await entry
      .getByTestId("tool-filler")
      .filter({ hasText: "One moment, I'm booking that." })
      .waitFor();
    release();
    await entry.and(page.locator('[data-state="completed"]')).waitFor();
    expect(await entry.getByTestId("tool-output").textContent()).toContain('"room":412');
    // The agent speaks about the output, and its audio reached the page.
    await page
      .locator('[data-testid="transcript-line"][data-role="agent"]', { hasText: "412" })
      .waitFor();
    expect(
      Number(await page.getByTestId("meter-audio").getAttribute("data-bytes")),
    ).toBeGreaterThan(0);
    const output = log
      .protocol("client", "conversation.item.create")
      .find((e) => (e.item as { type?: string })?.type === "function_call_output");
    const item = output?.item as { output: string } | undefined;
    expect(JSON.parse(item?.output ?? "null")).toMatchObject({ room: 412 });
  });

  it("reloads on save: shows what changed; an invalid save shows a located error and the old version runs", async () => {
    const yaml = readFileSync(consoleRun.agentFile, "utf8");
    writeFileSync(consoleRun.agentFile, yaml.replace("voice: marin", "voice: cedar"));
    const ok = page.locator('[data-testid="reload-status"][data-ok="true"]');
    await ok.waitFor();
    expect(await ok.textContent()).toMatch(/voice/);
    await expect(page.getByTestId("agent-voice").textContent()).resolves.toContain("cedar");

    // A typo: the page shows where it is; the session keeps the saved-before version.
    writeFileSync(consoleRun.agentFile, yaml.replace("voice: marin", "voice: cedar\nvoise: marin"));
    const failed = page.locator('[data-testid="reload-status"][data-ok="false"]');
    await failed.waitFor();
    const problems = await failed.getByTestId("reload-problems").textContent();
    expect(problems).toMatch(/front-desk\.agent\.yaml:\d+:\d+/);
    expect(problems).toMatch(/voise/);
    await expect(page.getByTestId("agent-voice").textContent()).resolves.toContain("cedar");

    // Still running: a typed turn gets its answer.
    const from = log.frames.length;
    await type("thanks a lot");
    await log.waitForEvent(
      (e) => e.type === "agent.transcript.done" && /welcome/i.test(String(e.transcript)),
      from,
    );
    expect(errors).toEqual([]);
  });
});
