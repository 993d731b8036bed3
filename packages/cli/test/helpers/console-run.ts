// Test support for the console's session (`agent dev --web` in process): a temporary copy of a fixture folder, the
// console started on it against the embedded local server, and page sockets; all closed after each test.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import {
  type ConsoleHandle,
  type ConsoleOptions,
  startConsole,
} from "../../src/console/start-console.ts";
import { PageSocket } from "./console-page.ts";

export interface ConsoleRun {
  /** The temporary copy of the fixture folder. */
  readonly dir: string;
  readonly handle: ConsoleHandle;
  /** Starts the console on `agentFile` (in the copy): offline, pace 0, no watcher unless `options` say otherwise. */
  start(agentFile: string, options?: Partial<ConsoleOptions>): Promise<ConsoleHandle>;
  /** A page socket on the running console (`query`: on its URL, as a reconnecting page's). */
  open(query?: Record<string, string>): Promise<PageSocket>;
  /** Closes the console now (its session logs are then on disk). */
  stop(): Promise<void>;
}

/** Registers the per-test copy of `fixture` (a folder under test/fixtures) and the clean-up. */
export function useConsoleRun(fixture: "dev" | "console"): ConsoleRun {
  const source = join(import.meta.dirname, "../fixtures", fixture);
  let dir = "";
  let handle: ConsoleHandle | undefined;
  const pages: PageSocket[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `parley-console-${fixture}-`));
    cpSync(source, dir, { recursive: true });
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) page.close();
    await handle?.close();
    handle = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get handle() {
      if (!handle) throw new Error("start the console first");
      return handle;
    },
    async start(agentFile, options = {}) {
      handle = await startConsole(join(dir, agentFile), {
        pace: 0,
        env: { ...process.env, OPENAI_API_KEY: "" },
        cwd: dir,
        watch: false,
        ...options,
      });
      return handle;
    },
    async open(query) {
      if (!handle) throw new Error("start the console first");
      const page = await PageSocket.open(handle.url, undefined, query);
      pages.push(page);
      return page;
    },
    async stop() {
      await handle?.close();
      handle = undefined;
    },
  };
}
