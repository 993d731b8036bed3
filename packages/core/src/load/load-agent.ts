import { resolve } from "node:path";
import type { LoadedAgent } from "../contracts/agent.ts";
import { type AgentConfig, agentSchema } from "../schema/agent.ts";
import { checkApprovalTools } from "./check-approval-tools.ts";
import { checkConditions } from "./check-conditions.ts";
import { checkExamples } from "./check-examples.ts";
import { checkModel } from "./check-model.ts";
import { checkModelSettings } from "./check-model-settings.ts";
import { checkTemplates } from "./check-templates.ts";
import { importWithTsx, type ModuleImporter } from "./import-module.ts";
import { LiveTools } from "./live-tools.ts";
import { type LoadState, loadRaw } from "./load-raw.ts";
import { defaultLoader } from "./loader.ts";
import type { ModuleCache } from "./module-cache.ts";
import { parseOptions } from "./parse-options.ts";
import { AgentFileError, type Problem } from "./problem.ts";
import { type FileReader, readUtf8 } from "./read-source.ts";
import { resolveAllTools } from "./resolve-all-tools.ts";
import { checkDelegates, withDelegateMcp } from "./resolve-delegates.ts";
import { resolveHandoffs } from "./resolve-handoffs.ts";
import type { ResolveContext } from "./resolve-tools.ts";
import { applyToolDefaults } from "./tool-defaults.ts";
import { zodProblems } from "./zod-problems.ts";

export type { LoadedAgent, LoadedHandoff } from "../contracts/agent.ts";

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

/**
 * Loads, resolves and validates an agent file (`.agent.yaml`, `.agent.md` or `.agent.ts`). Every problem found
 * is reported at once in an `AgentFileError`, each with `file:line:col`, field path, message and hint.
 *
 * @example
 * const agent = await loadAgent("agents/hotel-concierge/concierge.agent.yaml");
 * const event = compileSession(agent, { variables: { guest_name: "Ada" } });
 */
export function loadAgent(file: string, options: LoadAgentOptions = {}): Promise<LoadedAgent> {
  return defaultLoader().load(file, options);
}

/** What one loader owns: its module caches (per importer) and the agents it must close. */
export interface LoaderState {
  modules(importer: ModuleImporter): ModuleCache;
  open: Set<LiveTools>;
}

/** @internal The load itself, with the caches and the close set of the loader that asked. */
export async function loadWith(
  file: string,
  options: LoadAgentOptions,
  owner: LoaderState,
): Promise<LoadedAgent> {
  const absolute = resolve(file);
  const modules = owner.modules(options.importModule ?? importWithTsx);
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

  const parsed = agentSchema.safeParse(raw, parseOptions());
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
  const live = new LiveTools(owner.open);
  const ctx: ResolveContext = {
    root: raw,
    file: absolute,
    modules,
    files: state.files,
    problems: state.problems,
    hooks: live,
  };
  // Loading failed after packs opened connections: release them before reporting.
  const failAndClose = async (): Promise<never> => {
    await live.close().catch(() => {});
    return fail();
  };
  const resolved = await resolveAllTools(ctx, raw as Record<string, unknown>, state, env);
  state.problems.push(...checkExamples(resolved, raw, absolute));
  const handoffs = await resolveHandoffs(
    ctx,
    parsed.success ? (parsed.data.handoffs ?? []) : [],
    state.reader,
  );
  state.problems.push(...checkTemplates(raw as Record<string, unknown>, absolute, state.sources));
  state.problems.push(...checkConditions(raw as Record<string, unknown>, absolute, state.sources));

  if (state.problems.some((p) => p.severity === "error") || !parsed.success) return failAndClose();
  const config = (parsed as { data: AgentConfig }).data;
  state.problems.push(...checkApprovalTools(config, resolved, raw, absolute));
  state.problems.push(...checkModel(config.model, raw, absolute));
  state.problems.push(...checkDelegates(config, resolved, raw, absolute));
  state.problems.push(...checkModelSettings(config, raw, absolute));
  if (state.problems.some((p) => p.severity === "error")) return failAndClose();
  return live.attach({
    name: config.name,
    file: absolute,
    files: [...state.files],
    config,
    tools: withDelegateMcp(
      resolved.map((r) => applyToolDefaults(r.tool, config)),
      config,
    ),
    handoffs,
    warnings: state.problems.filter((p) => p.severity === "warning"),
  });
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : 0));
}
