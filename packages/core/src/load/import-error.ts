import { readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

let coreDir: { path: string | undefined } | undefined;

/**
 * Core's own folder (src/ or dist/ above this module): a frame there is Parley refusing a file, not user code. Found
 * on the first failed import, not when the loader loads (a few file reads and caught errors at every start).
 */
function ownDir(): string | undefined {
  if (coreDir) return coreDir.path;
  coreDir = { path: undefined };
  for (let dir = import.meta.dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === "@parley/core") {
        coreDir.path = dir + sep;
        break;
      }
    } catch {
      // no package.json here
    }
  }
  return coreDir.path;
}

/** Where importing a user module went wrong, and what to say: a syntax error, or the line that threw. */
export interface ImportFailure {
  code: "syntax_error" | "import_threw";
  message: string;
  file: string;
  line: number;
  col: number;
}

// esbuild (through tsx) reports `Transform failed with 1 error:\n<file>:<line>:<col>: ERROR: <text>`.
const ESBUILD = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m;
// The top stack frame: `at fn (file:line:col)` or `at file:line:col`, with a path or a file: URL.
const FRAME = /^\s*at (?:.*? \()?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?$/;

/**
 * Locates an import failure of one of the user's files: esbuild's own message at its file:line:col for a syntax
 * error; for a module that threw while being imported, the top stack frame when it is a user's file (tsx maps
 * stacks back to the TypeScript source; a frame of Node or a package means the failure is not in the user's code). Undefined when neither is found (the caller falls back to the reference).
 *
 * @example
 * locateImportFailure(error) // { code: "syntax_error", message: 'Unexpected ","', file: "/a/x.agent.ts", line: 3, col: 22 }
 */
export function locateImportFailure(error: unknown): ImportFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const syntax = ESBUILD.exec(error.message);
  if (syntax) {
    return {
      code: "syntax_error",
      message: syntax[4]?.trim() ?? "syntax error",
      file: syntax[1] as string,
      line: Number(syntax[2]),
      col: Number(syntax[3]) + 1, // esbuild's columns are 0-based
    };
  }
  const top = (error.stack ?? "").split("\n").find((l) => /^\s*at /.test(l)) ?? "";
  const frame = FRAME.exec(top);
  const raw = frame?.[1];
  if (!frame || !raw || raw.includes("/node_modules/")) return undefined;
  const path = raw.startsWith("file:") ? fileURLToPath(raw.split("?")[0] as string) : raw;
  const core = ownDir();
  if (core && path.startsWith(core)) return undefined;
  return {
    code: "import_threw",
    message: `threw while being imported: ${error.message.split("\n")[0]}`,
    file: path,
    line: Number(frame[2]),
    col: Number(frame[3]),
  };
}
