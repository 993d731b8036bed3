import { readFileSync } from "node:fs";
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
});
