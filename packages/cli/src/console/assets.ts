import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The built page's files (scripts/build.mjs bundles packages/cli/console/ into dist/console/). */
const TYPES: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "console.js": "text/javascript; charset=utf-8",
  "mic-worklet.js": "text/javascript; charset=utf-8",
  "console.css": "text/css; charset=utf-8",
};

export interface Asset {
  body: Buffer;
  type: string;
}

/**
 * The folder of the built page, found from the sources (src/console/) and from the bundle (dist/, dist/chunks/),
 * or undefined when the page was not built.
 */
export function consoleAssetDir(): string | undefined {
  for (const candidate of ["../../dist/console/", "../console/", "./console/"]) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

/**
 * Reads the page's files once (they ship inside the CLI package; nothing is fetched at run time). A missing build
 * gives a page that says how to build it, rather than a 404 nobody can explain.
 */
export function loadConsoleAssets(dir = consoleAssetDir()): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!dir) {
    assets.set("index.html", {
      type: TYPES["index.html"] as string,
      body: Buffer.from(
        "<!doctype html><title>Parley console</title><p>The console page is not built in this installation: run <code>pnpm install</code> (or <code>node scripts/build.mjs</code>) in the Parley repository.</p>",
      ),
    });
    return assets;
  }
  for (const [name, type] of Object.entries(TYPES)) {
    if (existsSync(dir + name)) assets.set(name, { type, body: readFileSync(dir + name) });
  }
  return assets;
}
