import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { InlineToolConfig } from "../schema/tools.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";
import { didYouMean } from "./did-you-mean.ts";
import { locateImportFailure } from "./import-error.ts";
import type { LoadHooks } from "./live-tools.ts";
import { problemAt } from "./located.ts";
import type { ModuleCache } from "./module-cache.ts";
import type { Problem } from "./problem.ts";
import { locate } from "./source-map.ts";

export interface ResolveContext {
  root: unknown;
  file: string;
  modules: ModuleCache;
  files: Set<string>;
  problems: Problem[];
  /** Where packs' close hooks and later tool-list changes go (absent: packs get no such hooks). */
  hooks?: LoadHooks;
}

/** The file that declared `tools[index]` (a base file when the tool came through `extends`). */
export function declaringFile(ctx: ResolveContext, path: PropertyKey[]): string {
  return locate(ctx.root, path)?.file || ctx.file;
}

/**
 * Turns an inline tool entry into a ToolDefinition: imports its handler (`./file.ts#export`, relative to the file
 * that declared it) and combines what the file says with what a `defineTool` export says (the file wins).
 */
export async function resolveInlineTool(
  ctx: ResolveContext,
  index: number,
  entry: InlineToolConfig,
): Promise<AnyToolDefinition | undefined> {
  const at: PropertyKey[] = ["tools", index];
  const fail = (path: PropertyKey[], code: string, message: string, hint?: string): undefined => {
    ctx.problems.push(
      problemAt(ctx.root, [...at, ...path], code, message, ctx.file, hint ? { hint } : {}),
    );
    return undefined;
  };
  if (!entry.handler)
    return fail(
      ["handler"],
      "handler_missing",
      `tool ${entry.name ?? `#${index + 1}`} has no handler`,
      'add handler: "./tools/my-tool.ts#myTool"',
    );
  const [spec = "", exportName = "default"] = entry.handler.split("#");
  const target = resolve(dirname(declaringFile(ctx, [...at, "handler"])), spec);
  if (!existsSync(target))
    return fail(
      ["handler"],
      "handler_missing_file",
      `handler file not found: ${spec}`,
      `looked for ${target}`,
    );
  let mod: Record<string, unknown>;
  try {
    const imported = await ctx.modules.import(target);
    for (const f of imported.files) ctx.files.add(f);
    mod = imported.module;
  } catch (error) {
    // A syntax error or a throw in the handler's own code is located there, not at the reference to it.
    const located = locateImportFailure(error);
    if (located) {
      const { code, ...at } = located;
      ctx.problems.push({ code, ...at, path: "", severity: "error", hint: `imported by ${spec}` });
      return undefined;
    }
    return fail(
      ["handler"],
      "handler_import_failed",
      `could not import ${spec}: ${firstLine(error)}`,
    );
  }
  if (!(exportName in mod) || mod[exportName] === undefined) {
    const names = Object.keys(mod).filter((k) => k !== "__esModule");
    const guess = didYouMean(exportName, names);
    return fail(
      ["handler"],
      "handler_missing_export",
      `${spec} has no export named "${exportName}"`,
      guess
        ? `did you mean "${guess}"?`
        : names.length
          ? `it exports: ${names.join(", ")}`
          : undefined,
    );
  }
  const exported = mod[exportName];
  const base = asToolDefinition(exported);
  if (!base && typeof exported !== "function") {
    return fail(
      ["handler"],
      "handler_invalid",
      `${spec}#${exportName} is not a tool: expected defineTool({...}) or a function (args, ctx) => result`,
    );
  }
  const name = entry.name ?? base?.name;
  const description = entry.description ?? base?.description;
  if (!name) return fail([], "required", `"name" is required: the handler is a plain function`);
  if (!description)
    return fail(
      [],
      "required",
      `"description" is required: the model reads it to decide when to call ${name}`,
    );
  const tool: AnyToolDefinition = {
    ...(base ?? {}),
    name,
    description,
    parameters: entry.parameters ?? base?.parameters ?? { type: "object", properties: {} },
    run: base ? base.run : (exported as AnyToolDefinition["run"]),
    origin: { kind: "inline", file: declaringFile(ctx, at) },
  };
  for (const key of [
    "timeout",
    "filler",
    "approval",
    "concurrency",
    "onInterrupt",
    "duplicate",
    "examples",
  ] as const) {
    if (entry[key] !== undefined) (tool as unknown as Record<string, unknown>)[key] = entry[key];
  }
  return tool;
}

/** A defineTool value: an object with `run`. */
export function asToolDefinition(value: unknown): AnyToolDefinition | undefined {
  return value &&
    typeof value === "object" &&
    typeof (value as { run?: unknown }).run === "function"
    ? (value as AnyToolDefinition)
    : undefined;
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
