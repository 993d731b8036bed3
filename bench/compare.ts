// Before/after in one run: `node --import tsx bench/compare.ts <before-ref> <after-ref> [rounds] [words…]`.
// Each ref is extracted (git archive) into a temp folder and installed; today's bench files (bench/ and
// packages/*/bench/) are copied over both, so the same measuring code runs against each source tree. Then the
// chosen benches (paths containing one of the words; default: scheduler, runtime-turn, runtime-events) run in
// turns, before/after/before/after…, each in its own process, and every verdict figure gets its median over the
// rounds beside the other tree's. Interleaving spreads the machine's load changes over both sides.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./stats.ts";

const root = new URL("..", import.meta.url).pathname;
const [before, after, roundsArg, ...words] = process.argv.slice(2);
if (!before || !after) {
  process.stderr.write("usage: bench/compare.ts <before-ref> <after-ref> [rounds] [words…]\n");
  process.exit(2);
}
const rounds = Number(roundsArg ?? 3) || 3;
const filters = words.length ? words : ["scheduler.bench", "runtime-turn", "runtime-events"];
const work = mkdtempSync(join(tmpdir(), "parley-compare-"));

function tree(ref: string, name: string): string {
  const dir = join(work, name);
  execFileSync("sh", ["-c", `mkdir -p ${dir} && git -C ${root} archive ${ref} | tar -x -C ${dir}`]);
  // The same measuring code on both sides.
  cpSync(join(root, "bench"), join(dir, "bench"), { recursive: true });
  for (const pkg of readdirSync(join(root, "packages"))) {
    const benchDir = join(root, "packages", pkg, "bench");
    if (existsSync(benchDir))
      cpSync(benchDir, join(dir, "packages", pkg, "bench"), { recursive: true });
  }
  execFileSync("npx", ["-y", "pnpm@10", "install", "--prefer-offline", "--silent"], {
    cwd: dir,
    stdio: "inherit",
  });
  return dir;
}

const sides = { before: tree(before, "before"), after: tree(after, "after") };
const files = readdirSync(join(root, "packages")).flatMap((pkg) => {
  const dir = join(root, "packages", pkg, "bench");
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".bench.ts") && filters.some((w) => `${pkg}/${f}`.includes(w)))
        .map((f) => join("packages", pkg, "bench", f))
    : [];
});

/** figure name → side → values over the rounds */
const figures = new Map<string, Record<string, number[]>>();
for (let round = 1; round <= rounds; round++) {
  for (const file of files) {
    for (const [side, cwd] of Object.entries(sides)) {
      process.stdout.write(`round ${round} ${side} ${file}\n`);
      const run = spawnSync(
        process.execPath,
        ["--expose-gc", "--conditions=parley-source", "--import", "tsx", file],
        { cwd, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, PARLEY_BENCH: "1" } },
      );
      if (run.status !== 0) process.stdout.write(`  (exit ${run.status})\n`);
      for (const line of (run.stdout ?? "").split("\n"))
        for (const [key, value] of parse(line)) {
          const name = `${file.split("/").pop()} ${key}`;
          const entry = figures.get(name) ?? {};
          entry[side] = [...(entry[side] ?? []), value];
          figures.set(name, entry);
        }
    }
  }
}
process.stdout.write(
  `\n## ${before} (before) vs ${after} (after), median of ${rounds} interleaved rounds\n`,
);
for (const [name, bySide] of figures) {
  const b = median(bySide.before ?? []);
  const a = median(bySide.after ?? []);
  const each = (side: string) => (bySide[side] ?? []).join(", ");
  process.stdout.write(
    `${name}: before ${b} | after ${a} | after/before ${(a / b).toFixed(2)}   (before: ${each("before")}; after: ${each("after")})\n`,
  );
}
rmSync(work, { recursive: true, force: true });

/** The figures of a line: a verdict (`name: 1.2 ms (target …) PASS`) or a report (`name: median 1.2, p99 3.4 (ms)`). */
function parse(line: string): [string, number][] {
  const verdictLine = /^(.+?): (-?[\d.]+|NaN|Infinity) .*\b(PASS|FAIL)$/.exec(line);
  if (verdictLine) return [[verdictLine[1] as string, Number(verdictLine[2])]];
  const reportLine = /^(.+?): ((?:(?:median|p\d+) -?[\d.]+(?:, )?)+) \((.+)\)$/.exec(line);
  if (!reportLine) return [];
  return (reportLine[2] as string).split(", ").map((part) => {
    const [stat, value] = part.split(" ");
    return [`${reportLine[1]} ${stat} (${reportLine[3]})`, Number(value)];
  });
}
