import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BIN, runCli, testEnv } from "../../test/helpers/cli.ts";

const fixture = join(import.meta.dirname, "../../test/fixtures/dev");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-console-cli-"));
  cpSync(fixture, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("agent dev --web", { timeout: 60_000 }, () => {
  it("prints the console's address with its token, serves it, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [BIN, "dev", "--web", "desk.agent.yaml"], {
      cwd: dir,
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
    expect(stdout).toContain("Parley console · desk");
    expect(stdout).toContain("embedded local Realtime server");
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("console.js");
    expect((await fetch(new URL("/", url))).status).toBe(404);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toContain("console stopped");
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
