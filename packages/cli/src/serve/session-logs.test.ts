import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSessionLog } from "@parley/core";
import { afterEach, describe, expect, it } from "vitest";
import { FIXTURES, startServe } from "../../test/helpers/serve.ts";
import { summarize } from "../logs/summary.ts";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("session logs under agent serve", () => {
  it("write one log per phone call, whole once the call is over, without the API key", async () => {
    dir = mkdtempSync(join(tmpdir(), "parley-serve-logs-"));
    const t = await startServe({ sessionLogs: { dir, audio: false } });
    const call = await t.local.simulateIncomingCall({ webhookUrl: t.webhookUrl, secret: t.secret });
    await call.waitForAgent();
    await call.say("is room 12 free tonight");
    await call.waitForAgent(/room 12/);
    call.hangUp();
    await t.serve.calls.idle();

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const log = await readSessionLog(join(dir, files[0] as string));
    expect(log.header).toMatchObject({ agent: "desk", file: `${FIXTURES}desk.agent.yaml` });
    expect(summarize(log)).toMatchObject({
      agent: "desk",
      turns: 1,
      toolCalls: 1,
      end: "socket_closed",
    });
    const attached = t.logs.find((l) => l.msg === "call attached");
    expect(attached?.sessionLog).toBe(log.file);
    const text = JSON.stringify(log);
    expect(text).toContain("check_room");
    expect(text).not.toContain("sk-test-serve");
  });
});
