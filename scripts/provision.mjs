// Runs before `pnpm test`, and before `pnpm bench` when it runs the console bench: the console's browser tests and that
// bench drive Debian's `chromium` (packages/cli/test/console), and a clean machine (CI, a new developer box) has only
// Node. As root with apt-get, install it; otherwise say how.
// Never fails the run itself: a missing browser makes the browser tests fail, each with the same clear message.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The first executable called `name` on PATH, or undefined. */
function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {}
  }
  return undefined;
}

const say = (text) => process.stderr.write(`provision: ${text}\n`);

if (process.env.PARLEY_CHROMIUM || onPath("chromium")) process.exit(0);
if (process.getuid?.() !== 0 || !onPath("apt-get")) {
  say(
    "chromium is not installed, so the browser tests will fail. Install Debian's chromium " +
      "(`sudo apt-get install -y chromium`) or set PARLEY_CHROMIUM to a Chromium executable.",
  );
  process.exit(0);
}
say("installing chromium with apt-get (the console's browser tests need it)");
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
const apt = (...args) =>
  spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env }).status === 0;
// A fresh machine has no package lists yet; an install fails without them.
if (!apt("install", "-y", "-q", "chromium")) {
  apt("update", "-q");
  if (!apt("install", "-y", "-q", "chromium"))
    say("apt-get could not install chromium; the browser tests will fail");
}
