import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSessionLog } from "@parley/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BIN, runCli, testEnv } from "../../test/helpers/cli.ts";
import { PageSocket } from "../../test/helpers/console-page.ts";

const fixture = join(import.meta.dirname, "../../test/fixtures/dev");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-console-cli-"));
  cpSync(fixture, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("agent dev --web", { timeout: 120_000 }, () => {
  it("prints the console's address with its token, serves it, stops cleanly on SIGTERM, and writes a session log (none with --no-logs)", async () => {
    const quiet = mkdtempSync(join(tmpdir(), "parley-console-cli-"));
    cpSync(fixture, quiet, { recursive: true });
    try {
      const [logged, unlogged] = await Promise.all([
        runWeb(dir, ["desk.agent.yaml"]),
        runWeb(quiet, ["desk.agent.yaml", "--no-logs"]),
      ]);
      expect(logged.stdout).toContain("Parley console · desk");
      expect(logged.stdout).toContain("embedded local Realtime server");
      expect(logged.code).toBe(0);
      expect(logged.stderr).toContain("console stopped");
      // As `agent dev`: one log per session in .parley/logs, named at the end.
      const files = readdirSync(join(dir, ".parley/logs")).filter((f) => f.endsWith(".jsonl"));
      expect(files).toHaveLength(1);
      expect(logged.stderr).toContain(`session log: .parley/logs/${files[0]}`);
      const log = await readSessionLog(join(dir, ".parley/logs", files[0] as string));
      expect(log.header).toMatchObject({ agent: "desk", model: expect.any(String) });
      expect(log.events.map((e) => e.type)).toEqual(
        expect.arrayContaining(["session.started", "agent.transcript.done", "closed"]),
      );
      expect(unlogged.code).toBe(0);
      expect(existsSync(join(quiet, ".parley"))).toBe(false);
      expect(unlogged.stderr).not.toContain("session log:");
    } finally {
      rmSync(quiet, { recursive: true, force: true });
    }
  });

  it("an invalid agent file: located problems, exit 1, no stack trace; two agent files and none given: exit 2", async () => {
    writeFileSync(join(dir, "bad.agent.yaml"), "name: bad\nvoice: 12\n");
    const bad = await runCli(["dev", "--web", "bad.agent.yaml"], { cwd: dir, timeoutMs: 30_000 });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.agent\.yaml:2:\d+/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const which = await runCli(["dev", "--web"], { cwd: dir, timeoutMs: 30_000 });
    expect(which.code).toBe(2);
    expect(which.stderr).toContain("2 agent files under this folder; give one:");
  });
});

/**
 * Runs `agent dev --web` in `cwd` until its page is served and its greeting spoken (the page's socket sees it), then
 * stops it with SIGTERM: its output and exit code.
 */
async function runWeb(
  cwd: string,
  args: string[],
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [BIN, "dev", "--web", ...args], {
    cwd,
    env: testEnv({ PARLEY_SIM_PACE: "0" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      const found = /Open (http:\/\/127\.0\.0\.1:\d+\/[\w-]{32}\/)/.exec(stdout);
      if (found) resolve(found[1] as string);
    });
    void exited.then(() => reject(new Error(`exited first\n${stdout}\n${stderr}`)));
  });
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("console.js");
  expect((await fetch(new URL("/", url))).status).toBe(404);
  const socket = await PageSocket.open(url);
  await socket.event("agent.transcript.done", 0, (e) => e.kind === "greeting");
  socket.close();
  child.kill("SIGTERM");
  const code = await exited;
  return { stdout, stderr, code };
}
