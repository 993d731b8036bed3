// `pnpm bench`: runs every packages/*/bench/*.bench.ts in its own process (so memory figures are not shared),
// prints what each reports, then a summary of every figure printed beside its target (PASS/FAIL, bench/verdict.ts).
// Pass words to run only some: a bench's exact name (`pnpm bench sessions`), else any path containing the word.
// Exits non-zero when a bench fails to run or a figure misses its target.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2);
const files: string[] = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith(".bench.ts")) files.push(join("packages", pkg, "bench", f));
  }
}
/** A word picks the bench of that exact name (`sessions`, not also `audio-sessions`), else every path containing it. */
function picks(word: string, file: string): boolean {
  const exact = files.some((f) => f.endsWith(`/${word}.bench.ts`));
  return exact ? file.endsWith(`/${word}.bench.ts`) : file.includes(word);
}
const selected = files.filter((file) => !filters.length || filters.some((w) => picks(w, file)));
// The console bench drives Debian's Chromium: installed first as `pnpm test` installs it (a no-op when it is there),
// so that a fresh machine's first `pnpm bench` runs it rather than failing on a missing browser.
if (selected.some((file) => file.endsWith("/console.bench.ts")))
  spawnSync(process.execPath, [join(root, "scripts", "provision.mjs")], { stdio: "inherit" });
let failed = 0;
const verdicts: string[] = [];
const seconds: string[] = [];
const started = performance.now();
for (const file of selected) {
  process.stdout.write(`\n## ${file}\n`);
  const benchStarted = performance.now();
  // `source`: benches measure the TypeScript source as tests do (the CLI a bench spawns runs as a user's would).
  const run = spawnSync(
    process.execPath,
    ["--expose-gc", "--conditions=parley-source", "--import", "tsx", file],
    {
      cwd: root,
      stdio: ["inherit", "pipe", "inherit"],
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PARLEY_BENCH: "1" },
    },
  );
  process.stdout.write(run.stdout ?? "");
  seconds.push(
    `${file.split("/").pop()} ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`,
  );
  for (const line of (run.stdout ?? "").split("\n"))
    if (/ (PASS|FAIL)$/.test(line)) verdicts.push(`${file.split("/").pop()}  ${line}`);
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`(failed with exit ${run.status})\n`);
  }
}
const missed = verdicts.filter((v) => v.endsWith("FAIL")).length;
process.stdout.write(
  `\n## summary (${((performance.now() - started) / 1000).toFixed(0)} s): ${verdicts.length - missed} PASS, ${missed} FAIL${failed ? `, ${failed} bench(es) failed to run` : ""}\n`,
);
for (const v of verdicts) process.stdout.write(`${v}\n`);
// Where the run's time went, to keep `pnpm bench` short (each bench's env overrides trim its rounds).
process.stdout.write(`\ntime per bench: ${seconds.join(", ")}\n`);
process.exitCode = failed || missed ? 1 : 0;
