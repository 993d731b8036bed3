#!/usr/bin/env node
// Builds every package's TypeScript source into `packages/<pkg>/dist` (ESM JavaScript, one bundle per `exports`
// entry plus shared chunks), so the `agent` CLI and anyone importing `@parley/*` run plain JavaScript instead of
// transforming the source with tsx at every start. Run by the root `prepare` script on `pnpm install`; takes about
// a second. Source stays the truth: the `parley-source` export condition (vitest, `node --conditions=parley-source`) and the
// CLI's fallback (packages/cli/bin/agent.js, when dist is missing or older than the source) use `src/` directly.
//
// Bare imports stay external (except the few in BUNDLED), so `@parley/core` imported by the CLI's bundle resolves to
// core's own dist: one copy of each package, whoever imports it. Within a package, entries share chunks
// (`splitting`) so e.g. `@parley/core` and `@parley/core/testing` share one `ParleyError` class.
//
// `--dts` also writes each package's type declarations (`dist/**/*.d.ts`, the `types` of its `exports`) with tsc:
// about 15 s, so `pnpm install` skips it; packing for publication (scripts/pack.mjs) needs it. `--out <dir>` writes
// `<dir>/packages/<pkg>/dist` instead of the workspace's own dist, so packing never rewrites a dist that running
// processes (tests, `agent dev`) are importing.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const { values: flags } = parseArgs({
  options: { quiet: { type: "boolean" }, dts: { type: "boolean" }, out: { type: "string" } },
});
const outRoot = flags.out ? resolve(flags.out) : root;
const packages = ["core", "tools", "local-realtime", "cli"];
/** Entry points that are not `exports` (the CLI's `main`, imported by bin/agent.js). */
const extraEntries = { cli: ["src/main.ts"] };
/** Touched (mtime = build start) once every package is built: bin/agent.js compares it with the source. */
const STAMP = join(outRoot, "packages/cli/dist/.built");

/**
 * Bare imports stay external (one copy of each package, whoever imports it), except these, which are bundled in:
 * used only inside our packages (never passed across a package boundary), and CommonJS whose loading weighed on
 * `agent validate`'s cold start (yaml: ~100 ms of CPU as files, ~25 ms bundled; eventemitter3, the Session's base
 * class, imported by core alone: ~10 ms through Node's CommonJS loader, about nothing bundled; commander, picocolors
 * and ignore, the CLI's own, loaded by `agent validate`: six CommonJS files through Node's loader and its export
 * lexer otherwise).
 */
const BUNDLED = new Set(["yaml", "eventemitter3", "commander", "picocolors", "ignore"]);
/**
 * zod is ~100 ES modules (~160 ms of CPU to load as files, ~60 ms as one bundle). Core bundles it and re-exports
 * `z` (src/index.ts, src/pack.ts), and the other packages' `import { z } from "zod"` become `from "@parley/core/pack"`: one copy in
 * a process. A user's own zod is another copy, which works: schemas are recognised by their `_zod` member, and
 * zod keeps its registry (`.describe()`, `.meta()`) on globalThis, shared by every copy.
 */
const externalExceptBundled = (pkg) => ({
  name: "external-except-bundled",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith("@")
        ? args.path.split("/").slice(0, 2).join("/")
        : args.path.split("/")[0];
      if (name === "zod") {
        if (args.path !== "zod") throw new Error(`build: import "zod", not "${args.path}"`);
        if (pkg === "core") return undefined;
        // Only packages that depend on core take it from there: from its lean entry (src/pack.ts), so a pack's
        // `import { z } from "zod"` does not load core's session runtime.
        if (pkg === "tools" || pkg === "cli") return { path: "@parley/core/pack", external: true };
        return { path: args.path, external: true };
      }
      return BUNDLED.has(name) ? undefined : { path: args.path, external: true };
    });
  },
});

/**
 * zod's locales are half of its code (~300 KB of the ~580 KB core bundles), and every process that loads core
 * parsed them: the `z` core re-exports includes `z.locales` (and `z.core.locales`). Only English is used unless
 * someone calls `z.config(z.locales.xx())`. So the bundled `locales/index.js` is replaced by a module with the same
 * names: `en` is zod's own (classic/schemas.js imports it anyway), every other locale loads zod's CommonJS copy of
 * that one file when called (`require("zod/v4/locales/de.cjs")`, whose `module.exports` is the locale function). Same
 * names, same results.
 */
const lazyZodLocales = {
  name: "lazy-zod-locales",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](core|classic|mini)$/.test(args.resolveDir)
        ? { path: join(args.resolveDir, "../locales/index.js"), namespace: "lazy-zod-locales" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-zod-locales" }, (args) => {
      const dir = join(args.path, "..");
      const lines = readFileSync(args.path, "utf8").split("\n").filter(Boolean);
      const out = [
        'import { createRequire } from "node:module";',
        `import en from ${JSON.stringify(join(dir, "en.js"))};`,
        'const load = (file) => createRequire(import.meta.url)("zod/v4/locales/" + file + ".cjs");',
        "export { en };",
      ];
      for (const line of lines) {
        const m = /^export \{ default as (\w+) \} from "\.\/([\w-]+)\.js";$/.exec(line);
        if (!m) throw new Error(`build: unexpected line in zod's locales/index.js: ${line}`);
        if (!existsSync(join(dir, `${m[2]}.cjs`)))
          throw new Error(`build: zod has no locales/${m[2]}.cjs to load ${m[1]} from`);
        if (m[1] !== "en")
          out.push(`export const ${m[1]} = () => load(${JSON.stringify(m[2])})();`);
      }
      return { contents: out.join("\n"), resolveDir: dir, loader: "js" };
    });
  },
};

/**
 * commander requires child_process as it loads, only to spawn executable sub-commands (`.command(name, description)`),
 * which the CLI does not define; child_process brings net, dgram and streams with it (~5 ms of every `agent` start).
 * Its require in commander gets an object whose `spawn` loads child_process on first call. The build fails if
 * commander ever uses child_process for anything else.
 */
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => {
      if (!/[\\/]commander[\\/]lib[\\/]command\.js$/.test(args.importer)) return undefined;
      const uses = readFileSync(args.importer, "utf8").match(/\bchildProcess\b[.\w]*/g) ?? [];
      const other = uses.filter((u) => u !== "childProcess" && u !== "childProcess.spawn");
      if (other.length)
        throw new Error(`build: commander uses ${other.join(", ")}: extend the lazy child_process`);
      return { path: "child_process", namespace: "lazy-child-process" };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy-child-process" }, () => ({
      contents:
        'let loaded;\nmodule.exports = { spawn: (...args) => (loaded ??= require("node:child_process")).spawn(...args) };',
      loader: "js",
    }));
  },
};

const started = Date.now();
const quiet = flags.quiet;
/** Every package's source files the build read (`packages/<pkg>/src/…`): what bin/agent.js checks for freshness. */
const sourceInputs = [];

for (const name of packages) {
  const dir = join(root, "packages", name);
  const entries = [
    ...entryPoints(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).exports),
    ...(extraEntries[name] ?? []),
  ];
  const outdir = join(outRoot, "packages", name, "dist");
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: dir,
    entryPoints: [...new Set(entries)],
    outbase: "src",
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    plugins: [lazyChildProcessForCommander, externalExceptBundled(name), lazyZodLocales],
    // A bundled CommonJS package calls require() for Node's built-ins: give the ESM output one. Made on the first
    // call: most files never call it, and createRequire plus import.meta in each of the ~30 files a command loads
    // cost a few ms of every start. (The bundled packages call require(id) only, never require.resolve or .cache.)
    banner: {
      js: 'import { createRequire as __parleyCreateRequire } from "node:module"; var __parleyRequire; function require(id) { return (__parleyRequire ??= __parleyCreateRequire(import.meta.url))(id); }',
    },
    sourcemap: true,
    // Less text to read and parse at every start (core's chunks: ~1.3 MB → ~0.9 MB; a cold `agent validate` parses
    // most of it). Identifiers are not renamed: function and class names, and so stack traces, stay readable, and
    // the source map (node --enable-source-maps) points into src/.
    minifyWhitespace: true,
    minifySyntax: true,
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
    metafile: true,
  });
  for (const input of Object.keys(result.metafile.inputs))
    if (input.startsWith("src/")) sourceInputs.push(`${name}/${input}`);
  for (const entry of entries) {
    const out = join(outdir, entry.replace(/^src\//, "").replace(/\.ts$/, ".js"));
    if (!existsSync(out)) throw new Error(`build: ${relative(root, out)} was not produced`);
  }
  if (!quiet) console.log(`built ${relative(root, outdir)} (${entries.length} entries)`);
}
await buildConsolePage();
if (flags.dts) buildDeclarations();

// The stamp lists the source files the dist was built from: the CLI's start-up checks their times (a few hundred
// stats) instead of walking every source folder (readdir is most of that walk's ~25 ms). A source file that is not
// listed was not built in: adding one changes nothing until a built file imports it, and that file's time changes.
writeFileSync(STAMP, `${new Date(started).toISOString()}\n${sourceInputs.sort().join("\n")}\n`);
// The build start, not its end: a source file saved while building must count as newer than the build.
utimesSync(STAMP, started / 1000, started / 1000);
if (!quiet) console.log(`build done in ${Date.now() - started} ms`);

/**
 * The browser console (`agent dev --web`): packages/cli/console/ bundled for the browser, Preact included, into
 * packages/cli/dist/console/ beside its HTML and CSS. Shipped inside the CLI package (its `files` has dist), served
 * from there: no CDN and nothing fetched at run time. The AudioWorklet is its own bundle (it runs in the audio thread).
 */
async function buildConsolePage() {
  const dir = join(root, "packages/cli/console");
  const outdir = join(outRoot, "packages/cli/dist/console");
  await build({
    absWorkingDir: dir,
    entryPoints: { console: "main.tsx", "mic-worklet": "mic-worklet.ts" },
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome111", "firefox115", "safari16.4"],
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    sourcemap: true,
    legalComments: "linked",
    logLevel: "warning",
  });
  for (const file of ["index.html", "console.css"]) cpSync(join(dir, file), join(outdir, file));
  if (!quiet) console.log(`built ${relative(root, outdir)} (the browser console)`);
}

/**
 * tsc writes every package's declarations into one cache folder (scripts/tsconfig.dts.json), then each package's
 * `src/**\/*.d.ts` is copied beside its JavaScript. Declarations keep their `./x.ts` imports, which TypeScript
 * resolves to the `./x.d.ts` next to them.
 */
function buildDeclarations() {
  const started = Date.now();
  const cache = join(root, "node_modules/.cache/parley-dts");
  rmSync(cache, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", join(root, "scripts/tsconfig.dts.json")], {
    stdio: "inherit",
  });
  for (const name of packages) {
    cpSync(join(cache, name, "src"), join(outRoot, "packages", name, "dist"), { recursive: true });
  }
  if (!quiet) console.log(`declarations built in ${Date.now() - started} ms`);
}

/** The `src/*.ts` files named by an `exports` map's `parley-source` conditions. */
function entryPoints(exports) {
  const found = [];
  for (const target of Object.values(exports ?? {})) {
    if (target && typeof target === "object" && typeof target["parley-source"] !== "string")
      throw new Error(
        `build: export ${JSON.stringify(target)} has no "parley-source" (see docs/architecture.md, Packages)`,
      );
    if (target && typeof target === "object") {
      if (!target["parley-source"].startsWith("./src/") || !target["parley-source"].endsWith(".ts"))
        throw new Error(`build: export source ${target["parley-source"]} is not ./src/*.ts`);
      const expected = target["parley-source"]
        .replace(/^\.\/src\//, "./dist/")
        .replace(/\.ts$/, ".js");
      if (target.default !== expected)
        throw new Error(
          `build: export ${target["parley-source"]} should have "default": "${expected}" (has ${target.default})`,
        );
      // Installed packages type-check against the built declarations; in the workspace tsconfig's
      // `customConditions` picks "parley-source" (listed first) so the source stays the truth.
      const types = expected.replace(/\.js$/, ".d.ts");
      const keys = Object.keys(target);
      if (target.types !== types || keys[0] !== "parley-source" || keys.at(-1) !== "default")
        throw new Error(
          `build: export ${target["parley-source"]} should be { "parley-source": "${target["parley-source"]}", "types": "${types}", "default": "${expected}" } in that order`,
        );
      found.push(target["parley-source"].slice(2));
    }
  }
  return found;
}
