import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
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
 * The default importer. First a plain `import()`: where TypeScript already loads (the `agent` CLI registers
 * tsx; vitest) the handler shares the running `@parley/core` and costs almost nothing. Otherwise, and whenever a
 * fresh graph is needed, tsx's `tsImport`, which gives each call its own module graph so edits are seen.
 * tsx is imported lazily: loading a YAML agent without handlers never pays for it.
 */
export const importWithTsx: ModuleImporter = async (file, onFile, fresh = false) => {
  if (!fresh) {
    try {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      localImports(file, onFile, new Set());
      return mod;
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
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
  return mod as Record<string, unknown>;
};

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
    if (!existsSync(target)) continue;
    onFile(target);
    localImports(target, onFile, seen);
  }
}
