import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../test/helpers/cli.ts";

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8"));
const weather = join(import.meta.dirname, "../test/fixtures/scenarios/weather.test.yaml");

// Real processes on a shared machine: generous time, the assertions stay exact.
describe("a CLI that explains itself", { timeout: 120_000 }, () => {
  it("--version prints the package version", async () => {
    const { code, stdout } = await runCli(["--version"], { timeoutMs: 45_000 });
    expect(stdout).toBe(`${manifest.version}\n`);
    expect(code).toBe(0);
  });

  it("--help shows examples, environment variables and where the docs are", async () => {
    const { code, stdout } = await runCli(["--help"], { timeoutMs: 45_000 });
    expect(stdout).toMatch(/Examples:\n {2}\$ agent init hello/);
    expect(stdout).toMatch(/Environment:\n {2}OPENAI_API_KEY/);
    expect(stdout).toContain("PARLEY_SIM_PACE");
    expect(stdout).toMatch(/Docs: .*docs/);
    expect(stdout).toContain("--verbose");
    expect(code).toBe(0);
  });

  it("every command's help ends with two or three real examples", async () => {
    const commands = [
      "init",
      "dev",
      "test",
      "validate",
      "compile",
      "schema",
      "tools",
      "sim",
      "logs",
      "diff",
    ];
    const helps = await Promise.all(
      commands.map((command) => runCli([command, "--help"], { timeoutMs: 60_000 })),
    );
    for (const [i, { stdout }] of helps.entries()) {
      const command = commands[i];
      const lines = (stdout.split("Examples:\n")[1] ?? "")
        .trim()
        .split("\n")
        .map((l) => l.trim());
      expect(lines.length, command).toBeGreaterThanOrEqual(2);
      expect(lines.length, command).toBeLessThanOrEqual(3);
      for (const line of lines)
        expect(line, command).toMatch(/^\$ (\S+=\S+ )?(echo .* \| )?agent /);
    }
  });

  it("--verbose shows the Realtime events in and out", async () => {
    const { code, stderr } = await runCli(["--verbose", "test", weather, "-g", "thanks"], {
      timeoutMs: 45_000,
    });
    expect(stderr).toMatch(/→ session\.update\b/);
    expect(stderr).toMatch(/← session\.updated\b/);
    expect(stderr).toMatch(/→ conversation\.item\.create .*item=message/);
    expect(stderr).toMatch(/← response\.done response=\S+ completed/);
    expect(stderr).not.toContain("output_audio.delta");
    expect(code).toBe(0);
  });
});
