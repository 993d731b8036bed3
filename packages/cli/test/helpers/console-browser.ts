// Test support for the console in a real browser: `agent dev --web`'s in-process equivalent (startConsole) on a copy
// of a fixture agent, and a page whose WebSocket traffic the test reads as it arrives (Playwright's frame events),
// so a test waits for what Parley sent, never for time.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { type ConsoleHandle, startConsole } from "../../src/console/start-console.ts";

export const CONSOLE_FIXTURES = new URL("../fixtures/console/", import.meta.url).pathname;

/** One message the page received on its console socket (binary frames are agent audio). */
export type Frame =
  | { type: "audio"; bytes: number }
  | { type: string; event?: { type: string; [k: string]: unknown }; [k: string]: unknown };

export interface ConsoleUnderTest {
  handle: ConsoleHandle;
  /** The folder holding the agent's copy (edit it to exercise reload). */
  dir: string;
  agentFile: string;
  close(): Promise<void>;
}

/**
 * Starts the console on a temporary copy of test/fixtures/console (the embedded local server at `pace`, or the
 * Realtime server at `options.url`), running
 * `agent` (front-desk: a tool with approval and filler; lobby: no tools; walkie: no tools, no turn detection).
 */
export async function startTestConsole(
  pace = 0,
  agent: "front-desk" | "lobby" | "walkie" = "front-desk",
  options: { variables?: Record<string, string>; url?: string } = {},
): Promise<ConsoleUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "parley-console-browser-"));
  cpSync(CONSOLE_FIXTURES, dir, { recursive: true });
  const agentFile = join(dir, `${agent}.agent.yaml`);
  const handle = await startConsole(agentFile, {
    pace,
    variables: options.variables ?? {},
    // A Realtime server of the test's own (`url`) takes a key; the embedded one runs without.
    ...(options.url ? { url: options.url } : {}),
    env: { ...process.env, OPENAI_API_KEY: options.url ? "sk-test-console" : "" },
    cwd: dir,
  });
  return {
    handle,
    dir,
    agentFile,
    async close() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a page's console socket carried, in order, with waits by content. */
export class SocketLog {
  readonly frames: Frame[] = [];
  /** What the page sent, in order: its JSON messages, and `audio` for each microphone frame. */
  readonly sent: Frame[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(page: Page) {
    page.on("websocket", (ws) => {
      ws.on("framesent", ({ payload }) => {
        this.sent.push(
          typeof payload === "string"
            ? (JSON.parse(payload) as Frame)
            : { type: "audio", bytes: payload.byteLength },
        );
        for (const wake of this.#waiters) wake();
      });
      ws.on("framereceived", ({ payload }) => {
        this.frames.push(
          typeof payload === "string"
            ? (JSON.parse(payload) as Frame)
            : { type: "audio", bytes: payload.byteLength },
        );
        for (const wake of this.#waiters) wake();
      });
    });
  }

  /** Stream events (`event` messages) of a type, in order. */
  events(type: string): Array<{ type: string; [k: string]: unknown }> {
    return this.frames.flatMap((f) =>
      f.type === "event" && f.event?.type === type ? [f.event] : [],
    );
  }

  /** The raw protocol events of one direction (`server.event` / `client.event`) of a protocol type. */
  protocol(direction: "server" | "client", type: string): Array<Record<string, unknown>> {
    return this.events(`${direction}.event`).flatMap((e) => {
      const raw = e.event as { type?: string } | undefined;
      return raw?.type === type ? [raw as Record<string, unknown>] : [];
    });
  }

  /** Resolves with the first message the page sent at or after index `from` that matches, and its index. */
  waitForSent(test: (frame: Frame) => boolean, from = 0): Promise<{ frame: Frame; at: number }> {
    return this.#until(() => {
      const at = this.sent.findIndex((frame, i) => i >= from && test(frame));
      return at < 0 ? undefined : { frame: this.sent[at] as Frame, at };
    });
  }

  /** Microphone frames the page sent from index `from` of `sent` (to `to`, exclusive). */
  micFrames(from = 0, to = this.sent.length): number {
    return this.sent.slice(from, to).filter((f) => f.type === "audio").length;
  }

  /** Resolves once the page has sent `count` microphone frames since index `from` of `sent`. */
  waitForMicFrames(count: number, from = 0): Promise<void> {
    return this.#until(() => (this.micFrames(from) >= count ? true : undefined)).then(() => {});
  }

  /** Resolves with `found()`'s first defined value, checked again on every frame either way. */
  #until<T>(found: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const value = found();
        if (value === undefined) return;
        this.#waiters.delete(check);
        resolve(value);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Resolves with the first stream event at or after index `from` that matches (by frame position). */
  waitForEvent(
    test: (event: { type: string; [k: string]: unknown }) => boolean,
    from = 0,
  ): Promise<{ event: { type: string; [k: string]: unknown }; at: number }> {
    return new Promise((resolve) => {
      const check = () => {
        for (let i = from; i < this.frames.length; i++) {
          const f = this.frames[i] as Frame;
          if (f.type === "event" && f.event && test(f.event)) {
            this.#waiters.delete(check);
            resolve({ event: f.event, at: i });
            return;
          }
        }
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Waits for a raw protocol event of one direction and type (optionally matching `test`). */
  waitForProtocol(
    direction: "server" | "client",
    type: string,
    test: (raw: Record<string, unknown>) => boolean = () => true,
    from = 0,
  ) {
    return this.waitForEvent((e) => {
      const raw = e.event as Record<string, unknown> | undefined;
      return e.type === `${direction}.event` && raw?.type === type && test(raw);
    }, from).then(({ event, at }) => ({ raw: event.event as Record<string, unknown>, at }));
  }
}

/** Opens the console page and waits until it is connected and shows the agent. */
export async function openConsole(page: Page, url: string): Promise<SocketLog> {
  const log = new SocketLog(page);
  await page.goto(url);
  await page
    .locator('.console[data-connected="true"][data-session="open"][data-ready="true"]')
    .waitFor();
  return log;
}
