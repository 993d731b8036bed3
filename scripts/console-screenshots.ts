// `pnpm screenshots`: the browser console's main states, photographed in headless Chromium (Debian's `chromium`,
// as the browser tests use) and saved to docs/console/*.png for docs/console.md. Runs `agent dev --web`'s
// in-process equivalent on the console test fixtures against the embedded local server; every state is reached by
// waiting for the page to show it, so the pictures are the same from run to run (times and costs aside).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../packages/cli/test/helpers/chromium.ts";
import { openConsole, startTestConsole } from "../packages/cli/test/helpers/console-browser.ts";
import { MIC_SAYS, MIC_WAV } from "../packages/cli/test/helpers/mic.ts";

const out = join(import.meta.dirname, "../docs/console");
mkdirSync(out, { recursive: true });
const gate = globalThis as { consoleGate?: Promise<void> };
let release = () => {};
gate.consoleGate = new Promise<void>((resolve) => (release = resolve));

const [browser, desk] = await Promise.all([
  launchChromium({ micWav: MIC_WAV }),
  startTestConsole(0, "front-desk"),
]);
const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: join(out, `${name}.png`) });
  process.stdout.write(`docs/console/${name}.png\n`);
};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await openConsole(page, desk.handle.url);
  await page.getByTestId("text-input").fill("book a room for 2 nights");
  await page.getByTestId("send-button").click();
  const entry = page.locator('[data-testid="tool-entry"][data-tool="book_room"]');
  await entry.locator('[data-testid="approval-card"]').waitFor();
  await shot(page, "approval");

  await entry.getByTestId("approve-button").click();
  await entry.getByTestId("tool-filler").filter({ hasText: "booking that" }).waitFor();
  release();
  await entry.and(page.locator('[data-state="completed"]')).waitFor();
  await page
    .locator('[data-testid="transcript-line"][data-role="agent"]', { hasText: "412" })
    .waitFor();
  await page.getByTestId("text-input").blur();
  await shot(page, "tool-call");

  const yaml = readFileSync(desk.agentFile, "utf8");
  writeFileSync(desk.agentFile, yaml.replace("voice: marin", "voice: cedar\nvoise: marin"));
  const failed = page.locator('[data-testid="reload-status"][data-ok="false"]');
  await failed.waitFor();
  await failed.scrollIntoViewIfNeeded();
  await shot(page, "reload-error");
  writeFileSync(desk.agentFile, yaml);
  await page.locator('[data-testid="reload-status"][data-ok="true"]').waitFor();

  // Phone width: the same conversation, stacked.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await openConsole(phone, desk.handle.url);
  await phone.locator('[data-testid="tool-entry"][data-state="completed"]').waitFor();
  await shot(phone, "phone");

  // Voice: the fake microphone speaks; the spoken turn and the answer.
  const voice = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await openConsole(voice, desk.handle.url);
  await voice.getByTestId("mic-button").click();
  await voice
    .locator('[data-testid="transcript-line"][data-role="user"]', { hasText: MIC_SAYS })
    .waitFor();
  await voice
    .locator('[data-testid="transcript-line"][data-role="agent"][data-done="true"]', {
      hasText: "Hello",
    })
    .waitFor();
  await shot(voice, "voice");
} finally {
  await browser.close();
  await desk.close();
}
