import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSessionLog } from "@parley/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FIXTURES, startServe } from "../../test/helpers/serve.ts";
import { summarize } from "../logs/summary.ts";

const recorded = join(
  import.meta.dirname,
  "../../test/fixtures/logs/good/2026-12-02T00-02-31-876Z-desk-9ca0d7.jsonl",
);
let dir: string;

/** A whole recorded session (it ends with `closed`) as log `id`, last written `ms` from now (negative: past). */
function finished(id: string, ms: number): void {
  const file = join(dir, `${id}.jsonl`);
  writeFileSync(file, readFileSync(recorded));
  const when = new Date(Date.now() + ms);
  utimesSync(file, when, when);
}

const left = () => readdirSync(dir).sort();
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
    // The call log's own lines, read back from the stream's lines: the tool call with its event, as in the log.
    const shown = t.logs.find((l) => l.msg === "tool.call" && l.callId === attached?.callId);
    const logged = log.events.find((e) => e.type === "tool.call");
    expect(logged).toMatchObject({ tool: "check_room" });
    expect(shown?.event).toEqual(logged);
    // The log's listener as the stream sees it: what one protocol event says is not written (format 3) and is read
    // back once, a streamed part's later chunks are counted; the call log still shows the transcripts.
    const raw = readFileSync(log.file, "utf8");
    expect(raw).not.toContain('"type":"agent.transcript.done"');
    expect(raw).toContain('"type":"log.chunks"');
    const said = log.events.filter((e) => e.type === "agent.transcript.done");
    const frames = log.events.filter(
      (e) => e.type === "server.event" && e.event.type === "response.output_audio_transcript.done",
    );
    expect(said.length).toBeGreaterThan(0);
    expect(said).toHaveLength(frames.length);
    const words = t.logs.filter(
      (l) => l.msg === "agent.transcript.done" && l.callId === attached?.callId,
    );
    expect(words.map((l) => (l.event as { transcript: string }).transcript)).toEqual(
      said.map((e) => (e as { transcript: string }).transcript),
    );
    // Format 4: a line's sessionId only when it changes, carried forward on read: the server's id from its
    // session.created on (the lines the call listener keeps from the log hand theirs on).
    const created = log.events.findIndex(
      (e) => e.type === "server.event" && e.event.type === "session.created",
    );
    const id = (log.events[created] as unknown as { event: { session: { id: string } } }).event
      .session.id;
    expect(log.events.slice(created + 1).every((e) => e.sessionId === id)).toBe(true);
  });

  it("prune to the retention policy while serving: periodically, sparing the call being written, and when a log closes", async () => {
    dir = mkdtempSync(join(tmpdir(), "parley-serve-logs-"));
    finished("old", -10 * 24 * 3600_000);
    // Newer than the live call's log: the live log is the one past `keep`, and must be spared while written.
    finished("newest", 3600_000);
    const t = await startServe({
      sessionLogs: { dir, audio: false, retention: { keep: 1, days: 0, maxMb: 0 } },
      pruneEveryMs: 50,
    });
    const call = await t.local.simulateIncomingCall({ webhookUrl: t.webhookUrl, secret: t.secret });
    await call.waitForAgent();
    const live = t.logs.find((l) => l.msg === "call attached")?.sessionLog as string;
    await vi.waitFor(
      () =>
        expect(t.logs.map((l) => l.msg)).toContain(
          "session logs: kept 1 over the limit whose session is still being written",
        ),
      { timeout: 30_000 },
    );
    expect(t.logs.map((l) => l.msg)).toContain(
      "session logs: removed 1 old log (keep 1, any age, any size)",
    );
    expect(left()).toEqual(["newest.jsonl", live.slice(dir.length + 1)].sort());
    call.hangUp();
    await t.serve.calls.idle();
    // Closed, the call's log is the oldest past `keep`: the prune on close removes it.
    await vi.waitFor(() => expect(left()).toEqual(["newest.jsonl"]), { timeout: 30_000 });
  });

  it("prune when a call's log closes with the folder over its count, between the hourly passes", async () => {
    dir = mkdtempSync(join(tmpdir(), "parley-serve-logs-"));
    finished("old", -3600_000);
    const t = await startServe({
      sessionLogs: { dir, audio: false, retention: { keep: 1, days: 0, maxMb: 0 } },
    });
    const call = await t.local.simulateIncomingCall({ webhookUrl: t.webhookUrl, secret: t.secret });
    await call.waitForAgent();
    expect(left()).toHaveLength(2); // nothing pruned during the call: no pass is due
    call.hangUp();
    await t.serve.calls.idle();
    const files = left();
    expect(files).toHaveLength(1);
    expect(files[0]).not.toBe("old.jsonl");
    expect(t.logs.map((l) => l.msg)).toContain(
      "session logs: removed 1 old log (keep 1, any age, any size)",
    );
  });
});
