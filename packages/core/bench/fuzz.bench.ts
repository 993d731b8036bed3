// `pnpm bench fuzz`: 20,000 mutated example agents (issue 11's families at full size: 5,000-deep nesting,
// 300 KB strings, 60,000 keys, alias bombs…) loaded in process. Bar: zero crashes, zero stack traces, zero
// unlocated problems, no load over 2 s. Prints the slowest load per family and PASS/FAIL.
import fc from "fast-check";
import { EXAMPLE_AGENTS, loadMutated, mutation, originals } from "../test/fuzz/agent-mutations.ts";

const CASES = Number(process.env.PARLEY_FUZZ_CASES ?? 20_000);
const HANG_MS = 2000;
const source = originals();
const slowest = new Map<string, number>();
const bad: string[] = [];
let loaded = 0;
const started = performance.now();

await fc.assert(
  fc.asyncProperty(fc.constantFrom(...EXAMPLE_AGENTS), mutation(1), async (file, m) => {
    const outcome = await loadMutated(file, m.apply(source.get(file) as Buffer));
    if (outcome.ok) loaded++;
    slowest.set(m.family, Math.max(slowest.get(m.family) ?? 0, outcome.ms));
    if (outcome.bad) bad.push(`${m.family}: ${outcome.bad.split("\n")[0]}`);
    if (outcome.ms > HANG_MS) bad.push(`${m.family}: ${Math.round(outcome.ms)} ms`);
    return true;
  }),
  { numRuns: CASES, seed: Number(process.env.PARLEY_FUZZ_SEED ?? 20_000) },
);

for (const [family, ms] of [...slowest].sort((a, b) => b[1] - a[1]))
  process.stdout.write(`fuzz agent files, slowest ${family}: ${Math.round(ms)} (ms)\n`);
const pass = bad.length === 0;
process.stdout.write(
  `fuzz agent files: ${CASES} cases in ${Math.round((performance.now() - started) / 1000)} s, ${loaded} still load, ${bad.length} over the bar (target 0, each under ${HANG_MS} ms) ${pass ? "PASS" : "FAIL"}\n`,
);
for (const line of bad.slice(0, 20)) process.stdout.write(`  ${line}\n`);
process.exitCode = pass ? 0 : 1;
