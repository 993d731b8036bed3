import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSessionLog } from "@parley/core";
import { describe, expect, it } from "vitest";
import { useConsoleRun } from "../../test/helpers/console-run.ts";

const SECRET = "sk-live-0123456789abcdefghijklmnopqrstuv";
const run = useConsoleRun("dev");

describe("the console's session logs", { timeout: 120_000 }, () => {
  it("writes one log per session (a restart starts another), secrets redacted, on disk when the console closes", async () => {
    const handle = await run.start("desk.agent.yaml", {
      variables: { guest: SECRET },
      logs: { dir: join(run.dir, "logs"), audio: false },
    });
    const page = await run.open();
    const greeted = await page.event("agent.transcript.done", 0, (e) => e.kind === "greeting");
    page.send({ type: "text", text: `look up booking ABC, my key is ${SECRET}` });
    const first = await page.event("tool.output", greeted.at, (e) => e.tool === "lookup_booking");
    await page.event("idle", first.at);
    page.send({ type: "restart" });
    const open = await page.waitFor((m) => m.type === "session" && m.state === "open", first.at);
    await page.event("agent.transcript.done", open.at, (e) => e.kind === "greeting");
    const files = [...handle.logFiles];
    expect(files).toHaveLength(2);
    await run.stop();

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

  it("applies the retention policy at start and again when a session's log closes with the folder over its count", async () => {
    const dir = join(run.dir, "logs");
    mkdirSync(dir);
    const recorded = join(
      import.meta.dirname,
      "../../test/fixtures/logs/good/2026-12-02T00-02-31-876Z-desk-9ca0d7.jsonl",
    );
    const plant = (id: string, daysAgo: number) => {
      writeFileSync(join(dir, `${id}.jsonl`), readFileSync(recorded));
      const when = new Date(Date.now() - daysAgo * 24 * 60 * 60 * 1000);
      utimesSync(join(dir, `${id}.jsonl`), when, when);
    };
    plant("2026-11-01T00-00-00-000Z-desk-aaaaaa", 3);
    plant("2026-11-02T00-00-00-000Z-desk-bbbbbb", 2);
    plant("2026-11-03T00-00-00-000Z-desk-cccccc", 1);
    const said: string[] = [];
    const handle = await run.start("desk.agent.yaml", {
      logs: { dir, audio: false, retention: { keep: 2, days: 0, maxMb: 0 } },
      notice: (message) => said.push(message),
    });
    const logs = () =>
      readdirSync(dir)
        .filter((f) => f.endsWith(".jsonl"))
        .sort();
    // At start: the oldest planted log goes; the two newest stay, then the first session's log is opened.
    expect(said).toContain("session logs: removed 1 old log (keep 2, any age, any size)");
    expect(logs()).not.toContain("2026-11-01T00-00-00-000Z-desk-aaaaaa.jsonl");
    const page = await run.open();
    const greeted = await page.event("agent.transcript.done", 0, (e) => e.kind === "greeting");
    page.send({ type: "restart" });
    const open = await page.waitFor((m) => m.type === "session" && m.state === "open", greeted.at);
    await page.event("agent.transcript.done", open.at, (e) => e.kind === "greeting");
    // The first session's log closed with four logs in the folder: the two planted ones go, both sessions' stay.
    const mine = handle.logFiles.map((f) => f.split("/").pop()).sort();
    expect(mine).toHaveLength(2);
    await expect.poll(logs).toEqual(mine);
    expect(said).toContain("session logs: removed 2 old logs (keep 2, any age, any size)");
  });
});
