import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { loadAgent, openSessionLog, startSession } from "@parley/core";
import { startLocalRealtime } from "@parley/local-realtime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, testEnv } from "../../test/helpers/cli.ts";
import { listLogs } from "./list.ts";
import { pruneSessionLogs } from "./retention.ts";
import { retentionOf } from "./settings.ts";

const fixtures = join(import.meta.dirname, "../../test/fixtures");
const recorded = join(fixtures, "logs/good/2026-12-02T00-02-31-876Z-desk-9ca0d7.jsonl");
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse("2026-12-02T12:00:00Z");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-retention-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A whole recorded session (it ends with `closed`) as log `id`, last written `daysAgo` before NOW. */
function finished(id: string, daysAgo: number, extra: string[] = []): void {
  writeFileSync(join(dir, `${id}.jsonl`), readFileSync(recorded));
  for (const suffix of extra) writeFileSync(join(dir, `${id}.${suffix}`), "x".repeat(1000));
  age(id, daysAgo);
}

/** A log whose session has not ended: a header naming its writer, and one event. */
function unfinished(id: string, writer: { pid: number; host: string }, daysAgo: number): void {
  const header = { type: "parley.session-log", version: 1, id, agent: "desk", writer };
  writeFileSync(
    join(dir, `${id}.jsonl`),
    `${JSON.stringify(header)}\n${JSON.stringify({ type: "idle", at: 1, seq: 1 })}\n`,
  );
  age(id, daysAgo);
}

function age(id: string, daysAgo: number): void {
  const when = new Date(NOW - daysAgo * DAY);
  for (const name of readdirSync(dir).filter((n) => n.startsWith(`${id}.`)))
    utimesSync(join(dir, name), when, when);
}

const left = () => readdirSync(dir).sort();

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid as number;
}

describe("session log retention", () => {
  it("keeps the newest n logs, removing the others with the files named after them", () => {
    for (const [i, id] of ["a1", "b2", "c3", "d4", "e5"].entries())
      finished(id, 5 - i, ["user.audio", "agent.audio"]);
    writeFileSync(join(dir, "notes.txt"), "not a log");
    const { removed } = pruneSessionLogs(dir, { keep: 3, days: 0, maxMb: 0 }, NOW);
    expect(removed.sort()).toEqual(["a1", "b2"]);
    expect(left()).toEqual([
      "c3.agent.audio",
      "c3.jsonl",
      "c3.user.audio",
      "d4.agent.audio",
      "d4.jsonl",
      "d4.user.audio",
      "e5.agent.audio",
      "e5.jsonl",
      "e5.user.audio",
      "notes.txt",
    ]);
  });

  it("removes logs older than the age limit, and the oldest until the folder is under the size limit", () => {
    finished("old", 31);
    finished("week", 7, ["test.yaml"]);
    finished("day", 1);
    finished("now", 0);
    expect(pruneSessionLogs(dir, { keep: 0, days: 30, maxMb: 0 }, NOW).removed).toEqual(["old"]);
    const size = readFileSync(recorded).length;
    // Room for two logs: the oldest two go (the week-old one with its replay file).
    const mb = (2.5 * size) / (1024 * 1024);
    expect(pruneSessionLogs(dir, { keep: 0, days: 0, maxMb: mb }, NOW).removed).toEqual(["week"]);
    expect(left()).toEqual(["day.jsonl", "now.jsonl"]);
  });

  it("never removes a log still being written; removes one whose writer is gone", () => {
    unfinished("live", { pid: process.pid, host: hostname() }, 90);
    unfinished("crashed", { pid: deadPid(), host: hostname() }, 90);
    unfinished("elsewhere-recent", { pid: 1, host: "another-host" }, 0.5);
    unfinished("elsewhere-stale", { pid: 1, host: "another-host" }, 90);
    const result = pruneSessionLogs(dir, { keep: 1, days: 30, maxMb: 0 }, NOW);
    expect(result.removed.sort()).toEqual(["crashed", "elsewhere-stale"]);
    expect(result.spared.sort()).toEqual(["live"]);
    expect(left()).toEqual(["elsewhere-recent.jsonl", "live.jsonl"]);
  });

  it("spares the log of a session running on the local server, and removes it once the session ends", async () => {
    const server = await startLocalRealtime({ port: 0, pace: 0 });
    try {
      const agent = await loadAgent(join(fixtures, "dev/desk.agent.yaml"));
      const log = openSessionLog({ dir, agent, flushMs: 0 });
      const session = await startSession({ agent, url: server.url, onEvent: log.write });
      log.attach(session);
      const later = Date.now() + 365 * DAY; // every log is past any age limit then
      await new Promise<void>((resolve) => session.once("idle", () => resolve()));
      expect(existsSync(log.file)).toBe(true);
      expect(pruneSessionLogs(dir, { keep: 0, days: 1, maxMb: 0 }, later)).toEqual({
        removed: [],
        spared: [log.id],
      });
      await session.close();
      await log.close();
      expect(pruneSessionLogs(dir, { keep: 0, days: 1, maxMb: 0 }, later).removed).toEqual([
        log.id,
      ]);
      expect(left()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("reads the policy from flags, then env, and refuses a value that is not a number", () => {
    expect(retentionOf({}, {})).toEqual({ keep: 500, days: 30, maxMb: 1024 });
    expect(
      retentionOf({ logsKeep: "20" }, { PARLEY_LOGS_KEEP: "5", PARLEY_LOGS_DAYS: "0" }),
    ).toEqual({ keep: 20, days: 0, maxMb: 1024 });
    expect(() => retentionOf({}, { PARLEY_LOGS_MAX_MB: "1GB" })).toThrow(
      "PARLEY_LOGS_MAX_MB 1GB: expected a number ≥ 0 (0: no limit)",
    );
  });
});

describe("agent dev applies the retention policy when it starts", { timeout: 120_000 }, () => {
  it("keeps the newest logs, records its own, and agent logs lists what is left", async () => {
    const project = join(dir, "project");
    cpSync(join(fixtures, "dev"), project, { recursive: true });
    const logs = join(project, "logs");
    mkdirSync(logs);
    const plant = (id: string, daysAgo: number) => {
      writeFileSync(join(logs, `${id}.jsonl`), readFileSync(recorded));
      const when = new Date(Date.now() - daysAgo * DAY);
      utimesSync(join(logs, `${id}.jsonl`), when, when);
    };
    plant("2026-11-01T00-00-00-000Z-desk-aaaaaa", 3);
    plant("2026-11-02T00-00-00-000Z-desk-bbbbbb", 2);
    plant("2026-11-03T00-00-00-000Z-desk-cccccc", 1);
    const run = await runCli(["dev", "desk.agent.yaml", "--logs", "logs", "--logs-keep", "2"], {
      cwd: project,
      input: "hello\n",
      env: testEnv(),
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(0);
    expect(run.stderr + run.stdout).toContain(
      "session logs: removed 1 old log (keep 2, 30 days, 1024 MB)",
    );
    const files = readdirSync(logs).filter((f) => f.endsWith(".jsonl"));
    expect(files).toHaveLength(3); // the two newest planted, then this session's
    expect(files).not.toContain("2026-11-01T00-00-00-000Z-desk-aaaaaa.jsonl");
    let listed = "";
    const out = {
      isTTY: false,
      write: (t: string) => {
        listed += t;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    expect(await listLogs(logs, {}, { stdout: out, stderr: out })).toBe(0);
    expect(listed.trim().split("\n")).toHaveLength(4); // the header and three sessions
  });
});
