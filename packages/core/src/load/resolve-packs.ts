import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import type { PackUseConfig } from "../schema/tools.ts";
import {
  type AnyToolDefinition,
  instantiateToolPack,
  packFromModule,
  ToolPackError,
} from "../tool/tool-pack.ts";
import { didYouMean } from "./did-you-mean.ts";
import { problemAt } from "./located.ts";
import { declaringFile, firstLine, type ResolveContext } from "./resolve-tools.ts";

const EXTENSIONS = ["", ".ts", ".mts", ".js", ".mjs", "/index.ts", "/index.js"];

const resolved = new Map<string, string | undefined>();
// Built tools per pack module version, environment object and (options, folder): a pack's tools are definitions,
// the same for every agent that uses the pack alike, so loading an agent again does not rebuild them.
const built = new WeakMap<object, WeakMap<object, Map<string, AnyToolDefinition[]>>>();

/** Finds a pack module: a relative path from the declaring file's folder, or a package name (Node resolution). */
function resolvePack(spec: string, fromFile: string): string | undefined {
  const key = `${dirname(fromFile)}\0${spec}`;
  if (!resolved.has(key)) resolved.set(key, findPack(spec, fromFile));
  return resolved.get(key);
}

function findPack(spec: string, fromFile: string): string | undefined {
  if (spec.startsWith(".") || spec.startsWith("/")) {
    const base = resolve(dirname(fromFile), spec);
    return EXTENSIONS.map((ext) => base + ext).find(
      (candidate) => existsSync(candidate) && !candidate.endsWith("/"),
    );
  }
  try {
    return createRequire(fromFile).resolve(spec);
  } catch {
    return undefined;
  }
}

/**
 * Loads the tools of a `use:` entry: imports the pack, builds its tools with `options`, then applies
 * `only`/`except`/`rename`/`overrides`. Unknown tool names in those are located problems with a did-you-mean.
 */
export async function resolvePackUse(
  ctx: ResolveContext,
  index: number,
  entry: PackUseConfig,
  env: Record<string, string | undefined>,
): Promise<AnyToolDefinition[]> {
  const at: PropertyKey[] = ["tools", index];
  const fail = (
    path: PropertyKey[],
    code: string,
    message: string,
    hint?: string,
    onKey = false,
  ): AnyToolDefinition[] => {
    ctx.problems.push(
      problemAt(ctx.root, [...at, ...path], code, message, ctx.file, {
        ...(hint ? { hint } : {}),
        onKey,
      }),
    );
    return [];
  };
  const fromFile = declaringFile(ctx, [...at, "use"]);
  const target = resolvePack(entry.use, fromFile);
  if (!target) {
    const hint = entry.use.startsWith(".")
      ? `looked for ${resolve(dirname(fromFile), entry.use)}`
      : `is the package installed? (npm install ${entry.use
          .split("/")
          .slice(0, entry.use.startsWith("@") ? 2 : 1)
          .join("/")})`;
    return fail(["use"], "pack_not_found", `tool pack not found: ${entry.use}`, hint);
  }
  let tools: AnyToolDefinition[];
  try {
    const imported = await ctx.modules.import(target);
    for (const f of imported.files) ctx.files.add(f);
    const pack = packFromModule(imported.module, entry.use);
    const byEnv = built.get(pack) ?? new WeakMap<object, Map<string, AnyToolDefinition[]>>();
    built.set(pack, byEnv);
    const byOptions = byEnv.get(env) ?? new Map<string, AnyToolDefinition[]>();
    byEnv.set(env, byOptions);
    const key = `${JSON.stringify(entry.options ?? null)}\0${dirname(fromFile)}`;
    const cached = byOptions.get(key);
    tools =
      cached ??
      (await instantiateToolPack(
        pack,
        entry.options,
        {
          baseDir: dirname(fromFile),
          agentFile: ctx.file,
          env,
          addFile: (file) => ctx.files.add(file),
          warn: (message) =>
            ctx.problems.push(
              problemAt(ctx.root, [...at, "use"], "pack_warning", message, ctx.file, {
                severity: "warning",
              }),
            ),
        },
        target,
      ));
    if (!cached) byOptions.set(key, tools);
  } catch (error) {
    if (error instanceof ToolPackError && error.issues.length > 0) {
      for (const issue of error.issues) fail(["options", ...issue.path], error.code, issue.message);
      return [];
    }
    if (error instanceof ToolPackError) return fail(["use"], error.code, error.message);
    return fail(
      ["use"],
      "pack_import_failed",
      `could not import ${entry.use}: ${firstLine(error)}`,
    );
  }
  const names = tools.map((t) => t.name);
  const checkNames = (list: string[] | undefined, key: "only" | "except"): void => {
    list?.forEach((name, i) => {
      if (!names.includes(name)) unknownTool([key, i], name, false);
    });
  };
  const unknownTool = (path: PropertyKey[], name: string, onKey: boolean): void => {
    const guess = didYouMean(name, names);
    fail(
      path,
      "pack_unknown_tool",
      `pack ${entry.use} has no tool "${name}"`,
      guess ? `did you mean "${guess}"?` : `its tools: ${names.join(", ")}`,
      onKey,
    );
  };
  checkNames(entry.only, "only");
  checkNames(entry.except, "except");
  for (const name of Object.keys(entry.rename ?? {}))
    if (!names.includes(name)) unknownTool(["rename", name], name, true);
  for (const name of Object.keys(entry.overrides ?? {}))
    if (!names.includes(name)) unknownTool(["overrides", name], name, true);

  return tools
    .filter(
      (t) =>
        (entry.only ? entry.only.includes(t.name) : true) && !(entry.except ?? []).includes(t.name),
    )
    .map((t) => {
      const override = entry.overrides?.[t.name] ?? {};
      const out: AnyToolDefinition = { ...t, name: entry.rename?.[t.name] ?? t.name };
      for (const [key, value] of Object.entries(override))
        if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
      return out;
    });
}
