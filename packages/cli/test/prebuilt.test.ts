// The packages run as prebuilt JavaScript (scripts/build.mjs → packages/*/dist), the tests and the CLI's fallback
// as TypeScript source. These check both doors lead to one @parley/core, and that user .ts handlers load from both.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ParleyError } from "@parley/core";
import { describe, expect, it } from "vitest";
import { ParleyError as SourceParleyError } from "../../core/src/errors/parley-error.ts";
import { runCli, testEnv } from "./helpers/cli.ts";

const fixtures = join(import.meta.dirname, "fixtures/prebuilt");
const agents = [join(fixtures, "esm/probe.agent.yaml"), join(fixtures, "cjs/probe.agent.yaml")];
const packagesDir = join(import.meta.dirname, "../..");

describe("prebuilt packages", { timeout: 120_000 }, () => {
  it("tests import @parley/* from source (the `parley-source` export condition)", () => {
    expect(ParleyError).toBe(SourceParleyError);
  });

  it("every export has a TypeScript source and the matching dist target", () => {
    for (const pkg of ["core", "tools", "local-realtime", "cli"]) {
      const { exports } = JSON.parse(readFileSync(join(packagesDir, pkg, "package.json"), "utf8"));
      for (const [name, target] of Object.entries<Record<string, string> | string>(exports)) {
        if (typeof target === "string") continue; // a JSON file
        expect(target["parley-source"], `${pkg} ${name}`).toMatch(/^\.\/src\/.+\.ts$/);
        const dist = target["parley-source"]?.replace("./src/", "./dist/").replace(/\.ts$/, "");
        // Installed, types come from the built declarations; in the workspace, tsconfig's customConditions
        // picks "parley-source", which must come first for that.
        expect(Object.keys(target), `${pkg} ${name}`).toEqual([
          "parley-source",
          "types",
          "default",
        ]);
        expect(target.types, `${pkg} ${name}`).toBe(`${dist}.d.ts`);
        expect(target.default, `${pkg} ${name}`).toBe(`${dist}.js`);
        expect(
          existsSync(join(packagesDir, pkg, target["parley-source"] as string)),
          `${pkg} ${name}`,
        ).toBe(true);
      }
    }
  });

  it("built core loads ESM and CommonJS .ts handlers that share it", () => {
    // Plain node, default conditions: @parley/core is packages/core/dist (built on install).
    const run = spawnSync(process.execPath, [join(fixtures, "load.mjs"), ...agents], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ tool: "probe", sameCore: true, files: 2 });
    // A CommonJS handler's require("@parley/core") is compiled by tsx's require hook: it gets its own copy.
    expect(lines[1]).toMatchObject({ tool: "probe", files: 2 });
  });

  for (const mode of ["prebuilt (when fresh)", "source fallback"]) {
    it(`agent validate loads both handlers (${mode})`, async () => {
      const env = testEnv(mode === "source fallback" ? { PARLEY_FROM_SOURCE: "1" } : {});
      const { code, stdout, stderr } = await runCli(["validate", ...agents], { env });
      expect(stderr).toBe("");
      expect(stdout).toContain("2 agent files valid");
      expect(code).toBe(0);
    });
  }
});
