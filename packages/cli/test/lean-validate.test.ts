// `agent validate` of a YAML agent loads the loader and the compiler, not the session runtime, the scheduler, tsx or child_process
// (docs/performance.md, cold start): the packs and the CLI's validate path import @parley/core's lean entries.
// What the built CLI loads is recorded by a preload; a module that should not be there fails the test.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const fixtures = join(import.meta.dirname, "fixtures/lean");
const dir = mkdtempSync(join(tmpdir(), "parley-lean-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the built `agent validate` on `agent` and returns what it printed and every file it loaded. */
function validateRecorded(agent: string) {
  const record = join(dir, `${Math.random().toString(36).slice(2)}.txt`);
  const run = spawnSync(
    process.execPath,
    [
      "--import",
      join(fixtures, "record-modules.mjs"),
      join(fixtures, "validate-dist.mjs"),
      "validate",
      agent,
    ],
    { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", PARLEY_RECORD_MODULES: record } },
  );
  const lines = readFileSync(record, "utf8").split("\n");
  const loaded = lines
    .filter((line) => line.startsWith("file:") || line.startsWith("/"))
    .map((line) => (line.startsWith("file:") ? fileURLToPath(line) : line));
  const builtins = lines.filter((l) => l.startsWith("builtin:")).map((l) => l.slice(8));
  return { ...run, loaded, builtins };
}

describe("agent validate's cold path", { timeout: 60_000 }, () => {
  it("loads neither the runtime, the scheduler, telemetry, tsx nor child_process for a YAML agent", () => {
    const { status, stdout, stderr, loaded, builtins } = validateRecorded(
      join(fixtures, "plain.agent.yaml"),
    );
    expect(stderr).toBe("");
    expect(stdout).toContain("1 agent file valid");
    expect(status).toBe(0);
    // The pack was loaded from the built tools, and the loader from the built core: the recording works.
    expect(
      loaded.some((f) => f.endsWith(join("tools", "dist", "packs", "clock", "index.js"))),
    ).toBe(true);
    expect(loaded.some((f) => f.endsWith(join("core", "dist", "load", "index.js")))).toBe(true);

    expect(loaded.filter((f) => /[\\/]tsx[\\/]|[\\/]tsx@/.test(f))).toEqual([]);
    expect(loaded.filter((f) => f.endsWith(join("core", "dist", "index.js")))).toEqual([]);
    const coreFiles = loaded.filter((f) => f.includes(join("core", "dist")));
    const defines = (pattern: RegExp) =>
      coreFiles.filter((f) => pattern.test(readFileSync(f, "utf8")));
    // Names survive the build's minification: `class X` may become `X=class`.
    const definesClass = (name: string) =>
      defines(new RegExp(`class ${name}\\b|\\b${name}\\s*=\\s*class\\b`));
    expect(defines(/function startSession\(/)).toEqual([]);
    expect(definesClass("ToolScheduler")).toEqual([]);
    expect(definesClass("SessionObserver")).toEqual([]);
    // child_process brings net, dgram and streams; commander asks for it only to spawn executable sub-commands.
    expect(builtins).toContain("fs");
    expect(builtins.filter((b) => /child_process|dgram/.test(b))).toEqual([]);
  });
});
