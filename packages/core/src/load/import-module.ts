import { readFileSync, statSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Imports a module and reports every local file it pulled in (for `LoadedAgent.files`, which `agent dev` watches).
 * `fresh` asks for a new module graph (a file changed since the last import).
 */
export type ModuleImporter = (
  file: string,
  onFile: (file: string) => void,
  fresh?: boolean,
) => Promise<Record<string, unknown>>;

/**
 * The default importer. A plain `import()` where TypeScript already loads (vitest; the `agent` CLI run from
 * source, which registers tsx): the handler shares the running `@parley/core`. Where it does not (the CLI's
 * prebuilt JavaScript, or an app in plain Node), the first TypeScript file registers tsx's hooks for the process
 * (ESM, and CommonJS for a `.ts` in a folder without `"type": "module"`) and is imported again the same way: its
 * `@parley/core` is then the very module that is running (one `ParleyError` class), not a second copy in a tsx
 * namespace. A fresh graph (a file changed since the last import) comes from tsx's `tsImport`, which gives each
 * call its own module graph so edits are seen. tsx is imported lazily: a YAML agent without handlers never pays.
 */
export const importWithTsx: ModuleImporter = async (file, onFile, fresh = false) => {
  if (!fresh) {
    for (let attempt = 0; ; attempt++) {
      try {
        // Node remembers a failed import of a URL: the retry asks for another one (same file).
        const url = pathToFileURL(file).href + (attempt > 0 ? "?ts" : "");
        if (isCommonJs(file)) await shareParleyWithRequire(file);
        const mod = (await import(url)) as Record<string, unknown>;
        localImports(file, onFile, new Set());
        return withCommonJsExports(file, mod);
      } catch (error) {
        if ((error as NodeJS.ErrnoException)?.code !== "ERR_UNKNOWN_FILE_EXTENSION" || attempt > 0)
          throw error;
        await registerTsx();
      }
    }
  }
  const { tsImport } = await import("tsx/esm/api");
  const mod = await tsImport(pathToFileURL(file).href, {
    parentURL: import.meta.url,
    onImport: (url: string) => {
      if (url.startsWith("file:") && !url.includes("/node_modules/"))
        onFile(fileURLToPath(url.split("?")[0] as string));
    },
  });
  return withCommonJsExports(file, mod as Record<string, unknown>);
};

/**
 * A CommonJS module imported from JavaScript shows only `default` (Node cannot see the names tsx's CommonJS output
 * exports; tsx fixes this only for imports written in TypeScript it compiled). Its `module.exports` properties are
 * the named exports a handler reference (`./tools.ts#name`) means.
 */
function withCommonJsExports(file: string, mod: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(mod);
  const exported = mod.default;
  if (keys.length !== 1 || keys[0] !== "default" || !exported || typeof exported !== "object")
    return mod;
  if (!isCommonJs(file)) return mod;
  return { ...(exported as Record<string, unknown>), default: exported };
}

/** Whether Node treats `file` as CommonJS: `.cts`/`.cjs`, or a nearest package.json without `"type": "module"`. */
function isCommonJs(file: string): boolean {
  if (/\.c[tj]s$/.test(file)) return true;
  if (/\.m[tj]s$/.test(file)) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      return (
        (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: string }).type !==
        "module"
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code !== "ENOENT") return false;
    }
    if (dirname(dir) === dir) return true;
  }
}

/** The packages a handler must share with the running process (one `ParleyError` class, one registry). */
const SHARED = ["@parley/core", "@parley/core/testing", "@parley/tools"] as const;

/**
 * A CommonJS handler reaches `@parley/core` through `require()`, which tsx's CommonJS hook would answer by compiling
 * core's ESM build into a second copy. Where the handler's `require` resolves to the very file this process runs,
 * the require cache is seeded with the running module, so both worlds share one instance.
 */
async function shareParleyWithRequire(file: string): Promise<void> {
  const requireFrom = createRequire(file);
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  for (const name of SHARED) {
    let path: string;
    let running: string;
    try {
      path = requireFrom.resolve(name);
      running = fileURLToPath(import.meta.resolve(name));
    } catch {
      continue; // not installed beside the handler, or not here: nothing to share
    }
    if (path !== running || cache[path]) continue;
    const namespace = (await import(name)) as Record<string, unknown>;
    const shared = new Module(path);
    shared.filename = path;
    shared.loaded = true;
    shared.exports = { ...namespace };
    cache[path] = shared;
  }
}

let registered: Promise<void> | undefined;

/** Registers tsx's ESM and CommonJS hooks once for the whole process. */
function registerTsx(): Promise<void> {
  registered ??= Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]).then(([esm, cjs]) => {
    esm.register();
    cjs.register();
  });
  return registered;
}

const RELATIVE_IMPORT =
  /(?:import|export)\s[^"'`]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** The local files a module reaches through relative imports (what a plain `import()` does not report). */
function localImports(file: string, onFile: (file: string) => void, seen: Set<string>): void {
  if (seen.has(file)) return;
  seen.add(file);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return;
  }
  for (const match of text.matchAll(RELATIVE_IMPORT)) {
    const target = resolve(dirname(file), (match[1] ?? match[2]) as string);
    // Only regular files: reading a FIFO or a device synchronously would block the process.
    if (!statSync(target, { throwIfNoEntry: false })?.isFile()) continue;
    onFile(target);
    localImports(target, onFile, seen);
  }
}
