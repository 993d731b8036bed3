import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSessionLog } from "@parley/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PageSocket } from "../../test/helpers/console-page.ts";
import { type ConsoleHandle, startConsole } from "./start-console.ts";

const fixture = join(import.meta.dirname, "../../test/fixtures/dev");
const SECRET = "sk-live-0123456789abcdefghijklmnopqrstuv";
let dir: string;
let handle: ConsoleHandle | undefined;
let page: PageSocket | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-console-logs-"));
  cpSync(fixture, dir, { recursive: true });
});
afterEach(async () => {
  page?.close();
  await handle?.close();
  handle = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe("the console's session logs", { timeout: 120_000 }, () => {
  it("writes one log per session (a restart starts another), secrets redacted, on disk when the console closes", async () => {
    const logs = join(dir, "logs");
    handle = await startConsole(join(dir, "desk.agent.yaml"), {
      pace: 0,
      variables: { guest: SECRET },
      env: { ...process.env, OPENAI_API_KEY: "" },
      cwd: dir,
      watch: false,
      logs: { dir: logs, audio: false },
    });
    page = await PageSocket.open(handle.url);
    const greeted = await page.event("agent.transcript.done", 0, (e) => e.kind === "greeting");
    page.send({ type: "text", text: `look up booking ABC, my key is ${SECRET}` });
    const first = await page.event("tool.output", greeted.at, (e) => e.tool === "lookup_booking");
    await page.event("idle", first.at);
    page.send({ type: "restart" });
    const open = await page.waitFor((m) => m.type === "session" && m.state === "open", first.at);
    await page.event("agent.transcript.done", open.at, (e) => e.kind === "greeting");
    const files = [...handle.logFiles];
    expect(files).toHaveLength(2);
    await handle.close();
    handle = undefined;

    const [one, two] = await Promise.all(files.map((f) => readSessionLog(f)));
    expect(one?.header).toMatchObject({ agent: "desk", variables: { guest: "[redacted]" } });
    expect(one?.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["session.started", "tool.call", "tool.output", "closed"]),
    );
    expect(two?.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["session.started", "closed"]),
    );
    expect(two?.events.some((e) => e.type === "tool.call")).toBe(false);
    for (const file of files) expect(readFileSync(file, "utf8")).not.toContain(SECRET);
  });
});
