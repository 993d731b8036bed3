#!/usr/bin/env node
// Packs every package as it would be published: `node scripts/pack.mjs [--out <dir>]` writes
// `<dir>/parley-<pkg>-<version>.tgz` (default: ./packs) and prints their paths, one a line.
//
// Each package is staged in a temporary workspace (its package.json, README, LICENSE and the `files` it lists,
// plus a dist built there with declarations, scripts/build.mjs --out --dts), then `pnpm pack`ed there: pnpm
// replaces `workspace:*` with the version, and the workspace's own dist, which tests and `agent dev` may be
// importing right now, is never rewritten.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = join(import.meta.dirname, "..");
const packages = ["core", "tools", "local-realtime", "cli"];
const { values } = parseArgs({ options: { out: { type: "string" }, quiet: { type: "boolean" } } });
const out = resolve(values.out ?? join(root, "packs"));
const stage = mkdtempSync(join(tmpdir(), "parley-pack-"));

try {
  writeFileSync(join(stage, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
  writeFileSync(join(stage, "package.json"), '{ "name": "parley-pack", "private": true }\n');
  for (const name of packages) {
    const from = join(root, "packages", name);
    const to = join(stage, "packages", name);
    mkdirSync(to, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(from, "package.json"), "utf8"));
    for (const entry of ["package.json", "README.md", "LICENSE", ...(manifest.files ?? [])]) {
      if (entry === "dist" || !existsSync(join(from, entry))) continue; // dist is built below
      cpSync(join(from, entry), join(to, entry), { recursive: true });
    }
    // pnpm reads a `workspace:*` dependency's version from its installed package.json: link the staged one.
    const deps = { ...manifest.dependencies, ...manifest.devDependencies };
    for (const [dep, range] of Object.entries(deps)) {
      if (!String(range).startsWith("workspace:")) continue;
      mkdirSync(join(to, "node_modules", dirname(dep)), { recursive: true });
      symlinkSync(
        join(stage, "packages", dep.replace("@parley/", "")),
        join(to, "node_modules", dep),
      );
    }
  }
  execFileSync(
    process.execPath,
    [join(root, "scripts/build.mjs"), "--dts", "--quiet", "--out", stage],
    { stdio: "inherit" },
  );
  mkdirSync(out, { recursive: true });
  execFileSync("npx", ["-y", "pnpm@10", "-r", "pack", "--pack-destination", out], {
    cwd: stage,
    stdio: ["ignore", values.quiet ? "ignore" : 2, 2],
    env: { ...process.env, npm_config_loglevel: "error" },
  });
  const made = readdirSync(out).filter((f) => f.endsWith(".tgz") && f.startsWith("parley-"));
  for (const file of made) process.stdout.write(`${join(out, file)}\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
