// `agent test --url` against a real `agent sim` (another process, on loopback): the runner hands each scenario's
// script to the simulator's connection, so shipped scenarios hold there as they do offline.

import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { BIN, runCli, testEnv } from "../../test/helpers/cli.ts";

const ROOT = join(import.meta.dirname, "../../../..");

/** Starts `agent sim --port 0` and resolves with the URL it prints once it listens. */
function startSim(): Promise<string> {
  const child = spawn(process.execPath, [BIN, "sim", "--port", "0"], {
    env: testEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill("SIGTERM");
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const url = /listening on (ws:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) =>
      reject(new Error(`agent sim exited (${code}) before listening:\n${out}`)),
    );
  });
}

describe("agent test --url <agent sim>", () => {
  it("plays shipped scenarios through the simulator", { timeout: 120_000 }, async () => {
    const url = await startSim();
    // billing: the four first failed under sim's rules model before the script was handed over.
    const run = await runCli(["test", "agents/support/billing.test.yaml", "--url", url], {
      cwd: ROOT,
      timeoutMs: 100_000,
    });
    expect(run.stdout).toContain("5 scenarios: 5 passed");
    expect(run.stdout).toContain(
      "✓ agents/support/billing.test.yaml › a large refund waits for a supervisor's approval",
    );
    expect(run.code).toBe(0);
  });
});
