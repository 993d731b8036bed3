// `pnpm bench`: runs every packages/*/bench/*.bench.ts in its own process (so memory figures are not shared)
// and prints what each reports. Pass words to run only benches whose path contains one of them.
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
let failed = 0;
for (const file of files) {
  if (filters.length && !filters.some((w) => file.includes(w))) continue;
  process.stdout.write(`\n## ${file}\n`);
  // `source`: benches measure the TypeScript source as tests do (the CLI a bench spawns runs as a user's would).
  const run = spawnSync(
    process.execPath,
    ["--expose-gc", "--conditions=parley-source", "--import", "tsx", file],
    {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, PARLEY_BENCH: "1" },
    },
  );
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`(failed with exit ${run.status})\n`);
  }
}
process.exitCode = failed ? 1 : 0;
