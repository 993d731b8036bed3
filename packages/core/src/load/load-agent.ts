import { existsSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { z } from "zod";
import { type AgentConfig, agentSchema } from "../schema/agent.ts";
import { inlineToolSchema, packUseSchema } from "../schema/tools.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";
import { checkTemplates } from "./check-templates.ts";
import { didYouMean } from "./did-you-mean.ts";
import { interpolateEnv } from "./env.ts";
import { importWithTsx, type ModuleImporter } from "./import-module.ts";
import { problemAt } from "./located.ts";
import { mergeAgentFiles } from "./merge.ts";
import { ModuleCache } from "./module-cache.ts";
import { checkParameters } from "./parameters.ts";
import { AgentFileError, type Problem } from "./problem.ts";
import { agentFileKind, type FileReader, readAgentSource, readUtf8 } from "./read-source.ts";
import { type LoadedHandoff, resolveHandoffs } from "./resolve-handoffs.ts";
import { resolvePackUse } from "./resolve-packs.ts";
import { asToolDefinition, type ResolveContext, resolveInlineTool } from "./resolve-tools.ts";
import { applyToolDefaults } from "./tool-defaults.ts";
import { zodProblems } from "./zod-problems.ts";

export interface LoadAgentOptions {
  /** Environment for `${env:…}` (default `process.env`). */
  env?: Record<string, string | undefined>;
  /**
   * What a missing `${env:NAME}` is: `"error"` (default; a session must not start without its secrets) or
   * `"warn"` (the placeholder stays; `agent validate` and `agent compile` use this so an agent checks out on a
   * machine without the secrets).
   */
  missingEnv?: "error" | "warn";
  /** Reads agent files (default: from disk). */
  readFile?: FileReader;
  /** Imports `.agent.ts` files, handler modules and packs (default: tsx's `tsImport`). */
  importModule?: ModuleImporter;
}

/** A validated agent, ready to compile and run. */
export interface LoadedAgent {
  name: string;
  /** Absolute path of the agent file. */
  file: string;
  /** Every file the agent was built from (itself, extends bases, handler modules, local packs): what `agent dev` watches. */
  files: string[];
  /** Extends merged, env interpolated, the `.agent.md` body as `instructions`, defaults applied. */
  config: AgentConfig;
  /** Inline tools with their handlers, and pack tools after only/except/rename/overrides, in file order. */
  tools: AnyToolDefinition[];
  /** Other agents this one can hand the conversation to (compiled as `transfer_to_<name>` function tools). */
  handoffs: LoadedHandoff[];
  /** Problems that do not stop loading (missing env under `missingEnv: "warn"`). */
  warnings: Problem[];
}

// Unknown keys are reported by the full schema; resolving handlers and packs despite them reports everything at once.
const lenientInline = z.object(inlineToolSchema.shape);
const lenientPack = z.object(packUseSchema.shape);

const caches = new WeakMap<ModuleImporter, ModuleCache>();

/**
 * Loads, resolves and validates an agent file (`.agent.yaml`, `.agent.md` or `.agent.ts`). Every problem found
 * is reported at once in an `AgentFileError`, each with `file:line:col`, field path, message and hint.
 *
 * @example
 * const agent = await loadAgent("agents/hotel-concierge/concierge.agent.yaml");
 * const event = compileSession(agent, { variables: { guest_name: "Ada" } });
 */
export async function loadAgent(
  file: string,
  options: LoadAgentOptions = {},
): Promise<LoadedAgent> {
  const absolute = resolve(file);
  const importer = options.importModule ?? importWithTsx;
  const modules = caches.get(importer) ?? new ModuleCache(importer);
  caches.set(importer, modules);
  const env = options.env ?? process.env;
  const state: LoadState = {
    problems: [],
    sources: {},
    files: new Set([absolute]),
    definedTools: [],
    reader: options.readFile ?? readUtf8,
    modules,
    envOptions: { env, missingEnv: options.missingEnv ?? "error" },
  };
  const raw = await loadRaw(absolute, [], state);
  const fail = (): never => {
    throw new AgentFileError(
      sortProblems(state.problems.filter((p) => p.severity === "error")),
      state.sources,
    );
  };
  if (raw === undefined) fail();

  const parsed = agentSchema.safeParse(raw);
  if (!parsed.success) {
    // A value whose ${env:…} is unset is already an error; its placeholder failing the schema is no news.
    // (Under missingEnv "warn" the schema problem stays: the value cannot be checked without the variable.)
    const unset = new Set(
      state.problems
        .filter((p) => p.code === "missing_env" && p.severity === "error")
        .map((p) => `${p.file}:${p.line}:${p.col}`),
    );
    const problems = zodProblems(parsed.error.issues, raw, agentSchema, absolute);
    state.problems.push(...problems.filter((p) => !unset.has(`${p.file}:${p.line}:${p.col}`)));
  }
  const ctx: ResolveContext = {
    root: raw,
    file: absolute,
    modules,
    files: state.files,
    problems: state.problems,
  };
  const entries = Array.isArray(raw?.tools) ? (raw.tools as unknown[]) : [];
  const resolved: { tool: AnyToolDefinition; path: PropertyKey[]; order: number }[] = [];
  // An .agent.ts file's defineTool values were taken out of `tools`; `order` puts everything back in file order.
  const orderOf = (index: number): number => state.toolOrder?.[index] ?? index;
  for (const [index, entry] of entries.entries()) {
    if (entry && typeof entry === "object" && "use" in entry) {
      const pack = lenientPack.safeParse(entry);
      if (!pack.success) continue;
      for (const tool of await resolvePackUse(ctx, index, pack.data, env))
        resolved.push({ tool, path: ["tools", index], order: orderOf(index) });
    } else {
      if (entry && typeof entry === "object" && "parameters" in entry) {
        state.problems.push(...checkParameters(raw, ["tools", index, "parameters"], absolute));
      }
      const inline = lenientInline.safeParse(entry);
      if (!inline.success) continue;
      const tool = await resolveInlineTool(ctx, index, inline.data);
      if (tool) resolved.push({ tool, path: ["tools", index], order: orderOf(index) });
    }
  }
  for (const { index, tool } of state.definedTools) {
    const definition = asToolDefinition(tool);
    if (definition)
      resolved.push({
        tool: { ...definition, origin: { kind: "inline", file: absolute } },
        path: ["tools"],
        order: index,
      });
  }
  resolved.sort((a, b) => a.order - b.order);
  reportDuplicates(resolved, raw, absolute, state.problems);
  const handoffs = await resolveHandoffs(
    ctx,
    parsed.success ? (parsed.data.handoffs ?? []) : [],
    state.reader,
  );
  state.problems.push(...checkTemplates(raw as Record<string, unknown>, absolute, state.sources));

  if (state.problems.some((p) => p.severity === "error") || !parsed.success) fail();
  const config = (parsed as { data: AgentConfig }).data;
  const toolNames = new Set(resolved.map((r) => r.tool.name));
  const mcpLabels = new Set((config.mcp ?? []).map((m) => m.label));
  for (const tool of Object.keys(config.approval?.tools ?? {})) {
    if (toolNames.has(tool)) continue;
    // "<mcp label>/<tool>" and "<mcp label>/*": rules for the API's MCP approval requests (see docs/tools.md).
    if (mcpLabels.has(tool.split("/")[0] ?? "") && tool.includes("/")) continue;
    const guess = didYouMean(tool, toolNames);
    state.problems.push(
      problemAt(
        raw,
        ["approval", "tools", tool],
        "unknown_tool",
        `approval rule for "${tool}", but the agent has no such tool`,
        absolute,
        {
          onKey: true,
          hint: guess
            ? `did you mean "${guess}"?`
            : `its tools: ${[...toolNames].join(", ") || "none"}`,
        },
      ),
    );
  }
  if (state.problems.some((p) => p.severity === "error")) fail();
  return {
    name: config.name,
    file: absolute,
    files: [...state.files],
    config,
    tools: resolved.map((r) => applyToolDefaults(r.tool, config)),
    handoffs,
    warnings: state.problems.filter((p) => p.severity === "warning"),
  };
}

interface LoadState {
  problems: Problem[];
  sources: Record<string, string>;
  files: Set<string>;
  definedTools: { index: number; tool: Record<string, unknown> }[];
  toolOrder?: number[] | undefined;
  reader: FileReader;
  modules: ModuleCache;
  envOptions: Parameters<typeof interpolateEnv>[2];
}

/** Reads one file, interpolates env and merges its bases under it (depth first, cycles refused). */
async function loadRaw(
  file: string,
  stack: string[],
  state: LoadState,
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await state.reader(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException)?.code === "ENOENT";
    state.problems.push({
      code: missing ? "file_not_found" : "file_unreadable",
      message: missing ? "file not found" : `cannot read the file: ${(error as Error).message}`,
      file,
      line: 1,
      col: 1,
      path: "",
      severity: "error",
    });
    return undefined;
  }
  state.sources[file] = text;
  if (stack.length === 0 && !agentFileKind(file)) {
    state.problems.push({
      code: "unsupported_file",
      message: `${basename(file)} is not an agent file`,
      hint: "agent files end in .agent.yaml, .agent.md or .agent.ts",
      file,
      line: 1,
      col: 1,
      path: "",
      severity: "error",
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
    state.problems.push({
      code: "invalid_type",
      message: "an agent file is a mapping of keys (name:, instructions:, …)",
      file,
      line: 1,
      col: 1,
      path: "",
      severity: "error",
    });
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

function reportDuplicates(
  resolved: { tool: AnyToolDefinition; path: PropertyKey[] }[],
  raw: unknown,
  file: string,
  problems: Problem[],
): void {
  const seen = new Map<string, PropertyKey[]>();
  for (const { tool, path } of resolved) {
    const first = seen.get(tool.name);
    if (first) {
      const where =
        first.join(".") === path.join(".") ? "in the same pack" : `also tools[${String(first[1])}]`;
      problems.push(
        problemAt(
          raw,
          path,
          "duplicate_tool",
          `two tools are named "${tool.name}" (${where})`,
          file,
          { hint: "rename one (for a pack: rename: { old: new }) or drop it (except: [...])" },
        ),
      );
    } else seen.set(tool.name, path);
  }
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : 0));
}
