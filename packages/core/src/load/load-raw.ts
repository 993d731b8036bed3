import { existsSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { interpolateEnv as Interpolate } from "./env.ts";
import { interpolateEnv } from "./env.ts";
import { LOAD_LIMITS } from "./limits.ts";
import { problemAt } from "./located.ts";
import { mergeAgentFiles } from "./merge.ts";
import type { ModuleCache } from "./module-cache.ts";
import type { Problem } from "./problem.ts";
import { UnreadableFileError } from "./read-bounded.ts";
import { agentFileKind, type FileReader, readAgentSource } from "./read-source.ts";

/** What loading one agent accumulates across its files. */
export interface LoadState {
  problems: Problem[];
  sources: Record<string, string>;
  files: Set<string>;
  definedTools: { index: number; tool: Record<string, unknown> }[];
  toolOrder?: number[] | undefined;
  reader: FileReader;
  modules: ModuleCache;
  envOptions: Parameters<typeof Interpolate>[2];
}

/** Reads one file, interpolates env and merges its bases under it (depth first, cycles refused). */
export async function loadRaw(
  file: string,
  stack: string[],
  state: LoadState,
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await state.reader(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException)?.code === "ENOENT";
    const bounded = error instanceof UnreadableFileError ? error.code : undefined;
    state.problems.push(
      fileProblem(
        file,
        missing ? "file_not_found" : (bounded ?? "file_unreadable"),
        missing ? "file not found" : `cannot read the file: ${(error as Error).message}`,
      ),
    );
    return undefined;
  }
  // The same bound for any reader (the default one refuses big files before reading them).
  if (text.length > LOAD_LIMITS.fileBytes) {
    state.problems.push(
      fileProblem(file, "file_too_large", `the file is over ${LOAD_LIMITS.fileBytes} bytes`),
    );
    return undefined;
  }
  state.sources[file] = text;
  if (stack.length === 0 && !agentFileKind(file)) {
    state.problems.push({
      ...fileProblem(file, "unsupported_file", `${basename(file)} is not an agent file`),
      hint: "agent files end in .agent.yaml, .agent.md or .agent.ts",
    });
    return undefined;
  }
  const source = await readAgentSource(file, text, state.modules);
  state.problems.push(...source.problems);
  for (const f of source.imported) state.files.add(f);
  if (stack.length === 0) {
    state.definedTools = source.definedTools;
    state.toolOrder = source.toolOrder;
  }
  const raw = source.value;
  if (source.problems.some((p) => p.severity === "error") && raw === undefined) return undefined;
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    state.problems.push(
      fileProblem(
        file,
        "invalid_type",
        "an agent file is a mapping of keys (name:, instructions:, …)",
      ),
    );
    return undefined;
  }
  const config = raw as Record<string, unknown>;
  state.problems.push(...interpolateEnv(config, file, state.envOptions));
  const bases =
    typeof config.extends === "string"
      ? [config.extends]
      : Array.isArray(config.extends)
        ? config.extends
        : [];
  let merged: Record<string, unknown> | undefined;
  for (const [i, base] of bases.entries()) {
    if (typeof base !== "string") continue;
    const path: PropertyKey[] = typeof config.extends === "string" ? ["extends"] : ["extends", i];
    const target = resolve(dirname(file), base);
    if ([...stack, file].includes(target)) {
      const chain = [...stack, file, target]
        .slice([...stack, file].indexOf(target))
        .map((f) => basename(f))
        .join(" → ");
      state.problems.push(
        problemAt(config, path, "extends_cycle", `extends makes a cycle: ${chain}`, file, {
          hint: "a base file must not extend the file that extends it",
        }),
      );
      continue;
    }
    if (!existsSync(target)) {
      state.problems.push(
        problemAt(config, path, "extends_missing", `base file not found: ${base}`, file, {
          hint: `looked for ${target}`,
        }),
      );
      continue;
    }
    state.files.add(target);
    const baseRaw = await loadRaw(target, [...stack, file], state);
    if (baseRaw) merged = merged ? mergeAgentFiles(merged, baseRaw) : baseRaw;
  }
  return merged ? mergeAgentFiles(merged, config) : config;
}

/** A problem with the file as a whole (nothing inside it to point at). */
function fileProblem(file: string, code: string, message: string): Problem {
  return { code, message, file, line: 1, col: 1, path: "", severity: "error" };
}
