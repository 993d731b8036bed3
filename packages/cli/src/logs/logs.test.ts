import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, testEnv } from "../../test/helpers/cli.ts";
import { runTests } from "../scenario/run-test.ts";
import { listLogs } from "./list.ts";
import { logToTest, showLog } from "./run-logs.ts";
import { logSettings } from "./settings.ts";

const fixtures = join(import.meta.dirname, "../../test/fixtures");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-logs-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out = { stdout: "", stderr: "" };
  const stream = (key: "stdout" | "stderr") =>
    ({
      isTTY: false,
      write: (t: string) => {
        out[key] += t;
        return true;
      },
    }) as unknown as NodeJS.WriteStream;
  return { out, io: { stdout: stream("stdout"), stderr: stream("stderr"), env: testEnv() } };
}

describe("agent logs", () => {
  it("lists sessions with their time, agent, duration, cost, turns, tool calls and errors", async () => {
    const { out, io: streams } = io();
    expect(await listLogs(join(fixtures, "logs/good"), {}, streams)).toBe(0);
    const [head, row] = out.stdout.trim().split("\n");
    expect(head).toMatch(
      /^id\s+started \(UTC\)\s+agent\s+duration\s+cost\s+turns\s+tools\s+errors\s+end$/,
    );
    expect(row).toMatch(
      /^9ca0d7\s+2026-12-02 00:02:31\s+desk\s+10\.4s\s+\$0\.0191\s+2\s+2\s+0\s+closed$/,
    );
  });

  it("says there are no sessions yet when the folder does not exist", async () => {
    const { out, io: streams } = io();
    expect(await listLogs(join(dir, "none"), {}, streams)).toBe(0);
    expect(out.stdout).toBe(
      `no session logs in ${join(dir, "none")} (agent dev and agent serve write them there)\n`,
    );
  });

  it("reports a truncated log at its file:line, lists the others and exits 1", async () => {
    const { out, io: streams } = io();
    const folder = join(fixtures, "logs/broken");
    expect(await listLogs(folder, {}, streams)).toBe(1);
    expect(out.stdout).toContain("9ca0d7");
    expect(out.stderr).toBe(
      `error[log_malformed]: ${folder}/2026-12-02T00-09-00-000Z-desk-0ddba1.jsonl:41:61: the line is cut short (the session ended before it was written whole)\n`,
    );
  });

  it("shows a session as a transcript with the tool timeline", async () => {
    const { out, io: streams } = io();
    await showLog("9ca0d7", join(fixtures, "logs/good"), streams);
    const text = out.stdout;
    expect(text).toContain("agent   desk (");
    // A spoken line shows when the agent began saying it (its first audio), not when its transcript was done.
    expect(text).toMatch(/00:04\.8 {2}greeting Hello from the desk\./);
    expect(text).toMatch(/user {5}look up booking ABC\n.*tool {3}→ lookup_booking \{"ref":"ABC"\}/);
    // The filler began while the tool ran, so it comes before the tool's output.
    expect(text).toMatch(
      /00:07\.9 {2}filler {3}Hang on, checking the ledger\.\n.*tool {3}← lookup_booking completed/,
    );
    expect(text).toMatch(/approval refund approved by terminal/);
    expect(text).toMatch(/ended {4}closed/);
    expect(text).toMatch(
      /tool timeline[^\n]*\n {2}lookup_booking call_\w+ · called 00:07\.7 · queued 1ms · ran 707ms · completed\n {2}refund call_\w+ · called 00:09\.9 · approval 7ms \(approved by terminal\) · queued 5ms · ran 1ms · completed/,
    );
  });

  it("fails with a located error and no stack trace from the command line", async () => {
    const { code, stdout, stderr } = await runCli(
      ["logs", "show", "0ddba1", "--dir", join(fixtures, "logs/broken")],
      { timeoutMs: 60_000 },
    );
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^error\[log_malformed\]: .*0ddba1\.jsonl:41:61: the line is cut short/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

// A real process records a session; the replay then runs in this one. Generous time on a shared machine.
describe("a recorded session replayed as a test", { timeout: 180_000 }, () => {
  it("records agent dev, replays it against the agent, and reports what a changed agent does differently", async () => {
    cpSync(join(fixtures, "dev"), dir, { recursive: true });
    const logs = join(dir, "recorded");
    const recorded = await runCli(["dev", "desk.agent.yaml"], {
      cwd: dir,
      input: "look up booking ABC\nrefund me 40 euros\ny\n",
      env: testEnv({ PARLEY_SESSION_LOGS: logs }),
      timeoutMs: 60_000,
    });
    expect(recorded.code).toBe(0);
    const [file] = readdirSync(logs);
    expect(file).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-desk-[0-9a-f]{6}\.jsonl$/);
    expect(recorded.stderr).toContain(`session log: recorded/${file}`);
    // Written the default way (each streamed part's first chunk and a count of the rest), and read as before.
    const recordedText = readFileSync(join(logs, file as string), "utf8");
    expect(JSON.parse(recordedText.split("\n")[0] as string)).toMatchObject({
      version: 4,
      chunks: "first",
    });
    expect(recordedText).toContain('"type":"log.chunks"');
    // Format 3: what one protocol event says is not written, and `show` has it all the same (made on read).
    expect(recordedText).not.toContain('"type":"agent.transcript.done"');
    expect(recordedText).toContain('"type":"response.output_audio_transcript.done"');
    const shown = io();
    await showLog(join(logs, file as string), logs, shown.io);
    expect(shown.out.stdout).toMatch(/\n[^\n]*agent {2,}\S/);
    expect(shown.out.stdout).toMatch(
      /user {5}look up booking ABC\n.*tool {3}→ lookup_booking \{"ref":"ABC"\}/,
    );
    expect(shown.out.stdout).toMatch(/tool timeline[^\n]*\n {2}lookup_booking call_\w+ · called/);

    // The scenario: user turns as steps, calls as expectations, outputs as mocks.
    const scenario = join(dir, "desk.replay.test.yaml");
    await logToTest(join(logs, file as string), logs, { output: scenario }, io().io);
    const text = readFileSync(scenario, "utf8");
    expect(text).toContain("agent: desk.agent.yaml");
    expect(text).toMatch(
      /mocks:\n {2}lookup_booking:\n {4}output:\n {6}ref: ABC\n {6}status: confirmed\n {4}latency: \d+ms\n {2}refund:\n {4}output:\n {6}refunded: 40\n/,
    );
    expect(text).toMatch(
      /- user: look up booking ABC\n\s+- expect_tool: lookup_booking\n\s+args:\n\s+ref: ABC\n\s+- expect_filler: true\n[^\n]*\n\s+- expect_output: lookup_booking\n\s+state: completed/,
    );
    expect(text).toMatch(
      /- expect_tool: refund\n\s+args:\n\s+amount: 40\n\s+- approve: refund\n\s+- expect_output: refund/,
    );

    // The same agent: the replay passes.
    const same = io();
    expect(await runTests([], { fromLog: join(logs, file as string) }, same.io)).toBe(0);
    expect(same.out.stdout).toContain("1 passed");

    // The agent changes (refund now takes cents): the replay shows where it behaves differently.
    const agentFile = join(dir, "desk.agent.yaml");
    writeFileSync(
      agentFile,
      readFileSync(agentFile, "utf8")
        .replace("amount: { type: number }", "cents: { type: integer }")
        .replace("required: [amount]", "required: [cents]")
        .replace("args: { amount: 40 }", "args: { cents: 4000 }"),
    );
    const changed = io();
    expect(
      await runTests(
        [],
        { fromLog: file as string },
        { ...changed.io, env: testEnv({ PARLEY_SESSION_LOGS: logs }) },
      ),
    ).toBe(1);
    expect(changed.out.stdout).toMatch(/step \d+: approve refund/);
    expect(changed.out.stdout).toMatch(/refund failed → .*required property 'cents'/);

    // --no-logs writes none.
    const quiet = await runCli(["dev", "desk.agent.yaml", "--no-logs"], {
      cwd: dir,
      input: "hello\n",
      timeoutMs: 60_000,
    });
    expect(quiet.code).toBe(0);
    expect(existsSync(join(dir, ".parley/logs"))).toBe(false);
    expect(readdirSync(logs).filter((f) => f.endsWith(".jsonl"))).toEqual([file]);

    // --log-chunks writes every chunk.
    const every = await runCli(["dev", "desk.agent.yaml", "--logs", "every", "--log-chunks"], {
      cwd: dir,
      input: "hello\n",
      timeoutMs: 60_000,
    });
    expect(every.code).toBe(0);
    const [full] = readdirSync(join(dir, "every"));
    const fullText = readFileSync(join(dir, "every", full as string), "utf8");
    expect(JSON.parse(fullText.split("\n")[0] as string)).toMatchObject({ chunks: "all" });
    expect(fullText).not.toContain('"type":"log.chunks"');
  });
});

describe("agent logs to-test", () => {
  it("refuses a session in which the user said nothing, instead of inventing a turn", async () => {
    const error = await logToTest("a0a0a0", join(fixtures, "logs/quiet"), {}, io().io).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "log_no_turns" });
    expect((error as Error).message).toMatch(/a0a0a0\.jsonl: the session has no user turn/);
  });
});

describe("session log settings", () => {
  it("write each streamed part's first chunk by default, every chunk with --log-chunks or PARLEY_LOG_CHUNKS=all", () => {
    expect(logSettings({}, {}, dir)?.chunks).toBe("first");
    expect(logSettings({ logChunks: true }, {}, dir)?.chunks).toBe("all");
    expect(logSettings({}, { PARLEY_LOG_CHUNKS: "all" }, dir)?.chunks).toBe("all");
    expect(() => logSettings({}, { PARLEY_LOG_CHUNKS: "every" }, dir)).toThrow(
      "PARLEY_LOG_CHUNKS=every: expected all or first",
    );
  });
});
