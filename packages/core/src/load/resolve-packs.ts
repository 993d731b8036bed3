import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import type { PackUseConfig } from "../schema/tools.ts";
import {
  type AnyToolDefinition,
  instantiateToolPack,
  packFromModule,
  stampPackTools,
  ToolPackError,
} from "../tool/tool-pack.ts";
import { didYouMean } from "./did-you-mean.ts";
import { problemAt } from "./located.ts";
import { packsOf } from "./pack-names.ts";
import { declaringFile, firstLine, type ResolveContext } from "./resolve-tools.ts";

const EXTENSIONS = ["", ".ts", ".mts", ".js", ".mjs", "/index.ts", "/index.js"];

const resolved = new Map<string, string | undefined>();
// Built tools per pack module version, environment object and (options, folder): a pack's tools are definitions,
// the same for every agent that uses the pack alike, so loading an agent again does not rebuild them — unless a
// file the pack read (env.addFile: knowledge files) changed on disk since.
const built = new WeakMap<object, WeakMap<object, Map<string, BuiltPack>>>();

/**
 * Finds a pack module: a relative path from the declaring file's folder, or a package name (Node resolution).
 */
function resolvePack(spec: string, fromFile: string): string | undefined {
  const relative = spec.startsWith(".") || spec.startsWith("/");
  // A package name that the agent's folder cannot resolve (an agent outside any project, `agent init` in a new
  // folder) is looked up from the running program too, so the packs that ship with the CLI are always found.
  const fallbacks = relative ? [] : [process.argv[1], `${process.cwd()}/package.json`];
  for (const from of [fromFile, ...fallbacks]) {
    if (!from) continue;
    const key = `${dirname(from)}\0${spec}`;
    if (!resolved.has(key)) resolved.set(key, findPack(spec, from));
    const found = resolved.get(key);
    if (found) return found;
  }
  return undefined;
}

/** Where a `use:`-like entry sits in the file: the entry, its module name and its options (for located problems). */
export interface PackEntryPaths {
  at: PropertyKey[];
  use: PropertyKey[];
  options: PropertyKey[];
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
  paths: PackEntryPaths = {
    at: ["tools", index],
    use: ["tools", index, "use"],
    options: ["tools", index, "options"],
  },
): Promise<AnyToolDefinition[]> {
  const at = paths.at;
  const fail = (
    path: PropertyKey[],
    code: string,
    message: string,
    hint?: string,
    onKey = false,
    severity: "error" | "warning" = "error",
  ): AnyToolDefinition[] => {
    ctx.problems.push(
      problemAt(ctx.root, [...at, ...path], code, message, ctx.file, {
        ...(hint ? { hint } : {}),
        onKey,
        ...(severity === "warning" ? { severity } : {}),
      }),
    );
    return [];
  };
  const failAt = (path: PropertyKey[], code: string, message: string, hint?: string) =>
    fail(path.slice(at.length), code, message, hint);
  const fromFile = declaringFile(ctx, paths.use);
  const target = resolvePack(entry.use, fromFile);
  if (!target) {
    const pkg = entry.use
      .split("/")
      .slice(0, entry.use.startsWith("@") ? 2 : 1)
      .join("/");
    // The package is there but has no such pack (`@parley/tools/clocks`): name the ones it has.
    const packs = entry.use.startsWith(".") ? [] : packsOf(pkg, [fromFile, process.argv[1] ?? ""]);
    const guess = didYouMean(entry.use, packs);
    const hint = entry.use.startsWith(".")
      ? `looked for ${resolve(dirname(fromFile), entry.use)}`
      : packs.length
        ? `${guess ? `did you mean "${guess}"? ` : ""}${pkg} has: ${packs.join(", ")}`
        : `is the package installed? (npm install ${pkg})`;
    return failAt(paths.use, "pack_not_found", `tool pack not found: ${entry.use}`, hint);
  }
  let tools: AnyToolDefinition[];
  // Names this entry gave the agent, and how a later list of the pack's becomes the entry's tools.
  let current: string[] = [];
  let rebuild: ((changed: AnyToolDefinition[]) => AnyToolDefinition[]) | undefined;
  // A pack holding a connection (an MCP bridge) may list more tools later (a server unreachable for now).
  let stateful = false;
  try {
    const imported = await ctx.modules.import(target);
    for (const f of imported.files) ctx.files.add(f);
    const pack = packFromModule(imported.module, entry.use);
    const byEnv = built.get(pack) ?? new WeakMap<object, Map<string, BuiltPack>>();
    built.set(pack, byEnv);
    const byOptions = byEnv.get(env) ?? new Map<string, BuiltPack>();
    byEnv.set(env, byOptions);
    const key = `${JSON.stringify(entry.options ?? null)}\0${dirname(fromFile)}`;
    const cached = byOptions.get(key);
    if (cached && (await unchanged(cached.files))) {
      for (const f of cached.reported) ctx.files.add(f);
      tools = cached.tools;
    } else {
      const read = new Set<string>();
      tools = await instantiateToolPack(
        pack,
        entry.options,
        {
          baseDir: dirname(fromFile),
          agentFile: ctx.file,
          env,
          addFile: (file) => {
            read.add(file);
            ctx.files.add(file);
          },
          warn: (message) =>
            ctx.problems.push(
              problemAt(ctx.root, paths.use, "pack_warning", message, ctx.file, {
                severity: "warning",
              }),
            ),
          ...(ctx.hooks
            ? {
                onClose: (close: () => void | Promise<void>) => {
                  stateful = true;
                  ctx.hooks?.onClose(close);
                },
                onToolsChanged: (changed: AnyToolDefinition[]) => {
                  if (!rebuild) return; // still building: the list it returns is the current one
                  const next = rebuild(stampPackTools(pack, changed, target));
                  ctx.hooks?.toolsChanged(current, next);
                  current = next.map((t) => t.name);
                },
              }
            : {}),
        },
        target,
      );
      // A pack holding a connection for this agent (an MCP bridge) is built per load: its close and its
      // tool-list changes belong to this agent. Others are reused until a file they read changes.
      if (stateful) byOptions.delete(key);
      // The files' folders too: a file added to a folder the pack indexed changes the folder's mtime.
      else
        byOptions.set(key, {
          tools,
          reported: [...read],
          files: await mtimes([...read, ...new Set([...read].map((f) => dirname(f)))]),
        });
    }
  } catch (error) {
    if (error instanceof ToolPackError && error.issues.length > 0) {
      for (const issue of error.issues)
        failAt([...paths.options, ...issue.path], error.code, issue.message);
      return [];
    }
    if (error instanceof ToolPackError) return failAt(paths.use, error.code, error.message);
    return failAt(
      paths.use,
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
    const hint = guess
      ? `did you mean "${guess}"?`
      : `its tools: ${names.join(", ") || "none yet"}`;
    // Its list can still change (a bridged server that is down, or adds tools later): a warning, not an error.
    if (stateful)
      fail(
        path,
        "pack_unknown_tool",
        `pack ${entry.use} has no tool "${name}" for now`,
        hint,
        onKey,
        "warning",
      );
    else fail(path, "pack_unknown_tool", `pack ${entry.use} has no tool "${name}"`, hint, onKey);
  };
  checkNames(entry.only, "only");
  checkNames(entry.except, "except");
  for (const name of Object.keys(entry.rename ?? {}))
    if (!names.includes(name)) unknownTool(["rename", name], name, true);
  for (const name of Object.keys(entry.overrides ?? {}))
    if (!names.includes(name)) unknownTool(["overrides", name], name, true);

  const applyEntry = (list: AnyToolDefinition[]): AnyToolDefinition[] =>
    list
      .filter(
        (t) =>
          (entry.only ? entry.only.includes(t.name) : true) &&
          !(entry.except ?? []).includes(t.name),
      )
      .map((t) => {
        const override = entry.overrides?.[t.name] ?? {};
        const out: AnyToolDefinition = { ...t, name: entry.rename?.[t.name] ?? t.name };
        for (const [key, value] of Object.entries(override))
          if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
        return out;
      });
  const result = applyEntry(tools);
  current = result.map((t) => t.name);
  rebuild = applyEntry;
  return result;
}

/** A pack's built tools and the files it read (with their mtimes when built). */
interface BuiltPack {
  tools: AnyToolDefinition[];
  /** The files the pack reported (`env.addFile`), for `LoadedAgent.files`. */
  reported: string[];
  /** Those files and their folders, with their mtime and size when built. */
  files: Map<string, string>;
}

async function mtimes(files: Iterable<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of files) out.set(file, await mtimeOf(file));
  return out;
}

/** mtime and size: an edit within the file system's mtime resolution usually changes the size. */
async function mtimeOf(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return "gone"; // a later build sees a difference if it comes back
  }
}

/** True when none of the files a pack read changed since it was built (an edited knowledge file rebuilds it). */
async function unchanged(files: Map<string, string>): Promise<boolean> {
  for (const [file, mtime] of files) if ((await mtimeOf(file)) !== mtime) return false;
  return true;
}
