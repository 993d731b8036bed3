import { statSync } from "node:fs";
import type { ModuleImporter } from "./import-module.ts";
import { LOAD_LIMITS } from "./limits.ts";
import { UnreadableFileError } from "./read-bounded.ts";

interface Entry {
  module: Record<string, unknown>;
  /** Every local file of the module graph and its mtime when imported. */
  files: Map<string, number>;
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * Imports handler and pack modules once and reuses them until a file of their module graph changes on disk,
 * so loading an agent again is fast while `agent dev` still sees edits.
 */
export class ModuleCache {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly importer: ModuleImporter) {}

  async import(file: string): Promise<{ module: Record<string, unknown>; files: string[] }> {
    assertModuleFile(file);
    const hit = this.entries.get(file);
    if (hit && [...hit.files].every(([f, m]) => mtime(f) === m))
      return { module: hit.module, files: [...hit.files.keys()] };
    const files = new Map<string, number>([[file, mtime(file)]]);
    const module = await this.importer(file, (f) => files.set(f, mtime(f)), hit !== undefined);
    this.entries.set(file, { module, files });
    return { module, files: [...files.keys()] };
  }
}

/** A module to import is a regular file of sane size: `handler: /dev/zero` would otherwise be read forever. */
function assertModuleFile(file: string): void {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch {
    return; // the importer reports a missing file in its own words
  }
  if (!stat.isFile())
    throw new UnreadableFileError(
      "not_a_file",
      `${file} is ${stat.isDirectory() ? "a folder" : "a special file (device, FIFO or socket)"}, not a module`,
    );
  if (stat.size > LOAD_LIMITS.fileBytes * 4)
    throw new UnreadableFileError(
      "file_too_large",
      `${file} is ${stat.size} bytes; a handler or pack module is at most ${LOAD_LIMITS.fileBytes * 4}`,
    );
}
