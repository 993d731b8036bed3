#!/usr/bin/env node
// Three ways to run, fastest first:
// 1. dist: the packages' prebuilt JavaScript (scripts/build.mjs, run on `pnpm install`), when it is newer than every
//    source file. No TypeScript loader is registered up front; user `.ts` files (`.agent.ts`, handlers, local packs)
//    register tsx only when an agent has one (core/src/load/import-module.ts).
// 2. source, in-process: when Node already runs with the `parley-source` export condition
//    (`node --conditions=parley-source`, or the re-run below), `@parley/*` resolve to `src/*.ts` and tsx's hooks are registered here: the ESM one for
//    our sources, the CommonJS one for user files Node treats as CommonJS (a tools.ts in a folder whose package.json
//    has no "type": "module", as `agent init` creates).
// 3. otherwise (a source file was edited since the last build, or there is no build), run this file again with
//    `--conditions=parley-source`: the condition has to be set at start-up for `require()` to see it too.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const packagesDir = join(import.meta.dirname, "../..");

if (hasSourceCondition()) {
  // Run again by rerunFromSource: if that parent is killed outright (SIGKILL cannot be passed on), end too.
  if (process.env.PARLEY_REEXEC === "1" && process.channel) {
    process.channel.unref();
    process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
  }
  const { register: registerCjs } = await import("tsx/cjs/api");
  const { register } = await import("tsx/esm/api");
  register();
  registerCjs();
  const { main } = await import("../src/main.ts");
  process.exitCode = await main(args);
} else if (process.env.PARLEY_FROM_SOURCE !== "1" && distIsFresh()) {
  const { main } = await import("../dist/main.js");
  process.exitCode = await main(args);
} else {
  await rerunFromSource();
}

function hasSourceCondition() {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  return flags.some(
    (f, i) =>
      /^(--conditions|-C)=parley-source$/.test(f) ||
      (/^(--conditions|-C)$/.test(f) && flags[i + 1] === "parley-source"),
  );
}

/**
 * dist was built (its stamp carries the build's start time) after the last change to any package's source: to the
 * source files the build read (listed in the stamp by scripts/build.mjs: one stat each, no folder reads) and to the
 * packages' package.json files. A stamp without the list (an older build) means a walk of every source folder.
 */
function distIsFresh() {
  // An installed package ships no source (package.json "files"): its dist is all there is.
  if (!existsSync(join(import.meta.dirname, "../src"))) return true;
  const stamp = join(import.meta.dirname, "../dist/.built");
  let built;
  let sources;
  try {
    built = statSync(stamp).mtimeMs;
    sources = readFileSync(stamp, "utf8").split("\n").slice(1).filter(Boolean);
  } catch {
    return false;
  }
  const packages = readdirSync(packagesDir);
  for (const pkg of packages) {
    const manifest = statSync(join(packagesDir, pkg, "package.json"), { throwIfNoEntry: false });
    if (manifest && manifest.mtimeMs > built) return false;
  }
  if (sources.length > 0) {
    // A listed file gone (deleted or renamed) is a change too. Concatenated, not path.join()ed: the listed paths
    // are already normal, and join's first calls (not yet optimised) cost more than the few hundred stats.
    const prefix = `${packagesDir}/`;
    for (const file of sources) {
      const stats = statSync(prefix + file, { throwIfNoEntry: false });
      if (!stats || stats.mtimeMs > built) return false;
    }
    return true;
  }
  return !packages.some((pkg) => newerUnder(join(packagesDir, pkg, "src"), built));
}

/** Any file or folder (a folder's time changes when an entry is added, removed or renamed) changed after `time`. */
function newerUnder(dir, time) {
  let entries;
  try {
    if (statSync(dir).mtimeMs > time) return true;
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (newerUnder(path, time)) return true;
    } else if (!entry.name.endsWith(".test.ts") && statSync(path).mtimeMs > time) return true;
  }
  return false;
}

async function rerunFromSource() {
  // Imported here: child_process (with net, dgram and streams) costs a few ms that the dist path never needs.
  const { spawn } = await import("node:child_process");
  const child = spawn(
    process.execPath,
    [...process.execArgv, "--conditions=parley-source", process.argv[1], ...args],
    {
      stdio: ["inherit", "inherit", "inherit", "ipc"], // the channel only tells the child this process is gone
      env: { ...process.env, PARLEY_REEXEC: "1" },
    },
  );
  // Ctrl-C in a terminal reaches both processes (one process group): this one only waits for the child, whose own
  // handling (e.g. `agent dev` ending its session) decides. Signals sent to this process alone are passed on.
  process.on("SIGINT", () => {});
  for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    if (!signal) process.exitCode = code ?? 1;
    else {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
  });
}
