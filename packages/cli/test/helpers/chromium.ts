// Test support for the console's browser tests: Debian's headless `chromium`, driven by playwright-core, with a
// fake microphone that plays a WAV file. `pnpm test` installs chromium first when it can (scripts/provision.mjs);
// a machine without it fails these tests with one clear message, never skips them.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { beforeEach } from "vitest";

export class ChromiumMissingError extends Error {
  readonly code = "CHROMIUM_MISSING";
  constructor() {
    super(
      "the console's browser tests need Chromium: `apt-get install -y chromium` (pnpm test does it when run as " +
        "root), or set PARLEY_CHROMIUM to a Chromium executable",
    );
  }
}

/** The Chromium to drive: PARLEY_CHROMIUM, else `chromium` on PATH. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.PARLEY_CHROMIUM
    ? [env.PARLEY_CHROMIUM]
    : (env.PATH ?? "")
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, "chromium"));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  throw new ChromiumMissingError();
}

export interface LaunchOptions {
  /** A WAV file the fake microphone plays (PCM16); played once from when the page opens the microphone. */
  micWav?: string;
  /** Play the WAV in a loop instead of once. */
  loopMic?: boolean;
}

/**
 * Launches headless Chromium with a fake microphone and camera and no permission prompts. One browser per test
 * file: pages are cheap, browsers are not.
 *
 * @example
 * const browser = await launchChromium({ micWav: MIC_WAV });
 * const page = await browser.newPage();
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const args = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    // The agent's audio plays without a click first (the tests click when a person would).
    "--autoplay-policy=no-user-gesture-required",
  ];
  if (options.micWav)
    args.push(
      `--use-file-for-fake-audio-capture=${options.micWav}${options.loopMic ? "" : "%noloop"}`,
    );
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args });
}

/** Collects the page's console errors and uncaught exceptions, so a test can assert there were none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return errors;
}

/**
 * Runs a file's browser setup once; when it fails (no Chromium, say), every test of the file fails with its error,
 * rather than being reported as skipped as a failed `beforeAll` would leave them.
 *
 * @example
 * const setup = browserSetup(async () => { browser = await launchChromium(); });
 * beforeAll(setup, 60_000);
 */
export function browserSetup(setup: () => Promise<void>): () => Promise<void> {
  let failure: unknown;
  beforeEach(() => {
    if (failure) throw failure;
  });
  return async () => {
    try {
      await setup();
    } catch (error) {
      failure = error;
    }
  };
}
