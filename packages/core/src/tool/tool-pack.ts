import type { z } from "zod";
import { isParleyError, ParleyError } from "../errors/index.ts";
import { parseOptions } from "../load/parse-options.ts";
import type {
  DurationInput,
  ToolApprovalOption,
  ToolDefinition,
  ToolFillerOptions,
} from "./define-tool.ts";

/**
 * The contract between a tool pack (written with `defineToolPack` from `@parley/tools`) and the loader.
 * It lives in core because the loader must understand packs without depending on `@parley/tools`.
 */

/** What a pack says about its tools unless a tool (or the agent file) says otherwise. */
export interface ToolPackDefaults {
  timeout?: DurationInput;
  filler?: ToolFillerOptions | false;
  approval?: ToolApprovalOption;
  onInterrupt?: "continue" | "cancel";
}

/** Where the pack is being used: relative paths in its options resolve against `baseDir`. */
export interface ToolPackEnv {
  /** Directory of the agent file that uses the pack. */
  baseDir: string;
  /** The agent file that uses the pack. */
  agentFile?: string;
  /** Process environment seen by the pack (defaults to `process.env`). */
  env?: Record<string, string | undefined>;
  /** The pack read this file (knowledge files, fixtures): the loader adds it to `LoadedAgent.files` so `agent dev` reloads on change. */
  addFile?(file: string): void;
  /** A problem that does not stop the agent (an MCP server that is unreachable for now): a load warning. */
  warn?(message: string): void;
  /** Something to release when the agent is unloaded or its session ends (an MCP connection, a child process). */
  onClose?(close: () => void | Promise<void>): void;
  /**
   * The pack's tools changed after it was built (an MCP server sent `tools/list_changed`, or reconnected):
   * `tools` is the pack's whole new list, before the agent file's only/except/rename/overrides.
   */
  onToolsChanged?(tools: AnyToolDefinition[]): void;
}

// biome-ignore lint/suspicious/noExplicitAny: packs hold tools with unrelated argument types.
export type AnyToolDefinition = ToolDefinition<any, any>;

/**
 * A named, versioned set of tools. `tools` is a list, or — for packs that need settings from the agent file
 * (`use: "@parley/tools/http"` with `options: { allow: [...] }`) — a function of the options, which are first
 * validated with the pack's `options` zod schema.
 */
export interface ToolPack<Options = unknown> {
  /** Package-like name: `@parley/tools/clock`, `acme-reservations`. */
  name: string;
  /** Semver of the pack, shown by `agent tools` and in error messages. */
  version: string;
  description: string;
  /** Validates `options:` from the agent file; without it, options are refused. */
  options?: z.ZodType<Options>;
  tools: AnyToolDefinition[] | ToolPackFactory<Options>;
  defaults?: ToolPackDefaults;
}

/**
 * Builds a pack's tools from its validated options. Declared through a method so that a pack with typed
 * options is still a `ToolPack` (parameters are compared bivariantly), which is what the loader holds.
 */
export type ToolPackFactory<Options> = {
  build(options: Options, env: ToolPackEnv): AnyToolDefinition[] | Promise<AnyToolDefinition[]>;
}["build"];

/** One problem with a pack's options, at a path inside `options:` (for a located error in the agent file). */
export interface ToolPackOptionIssue {
  path: (string | number)[];
  message: string;
}

/**
 * A pack that cannot be used: the module exports no pack (`pack_invalid`), its options are wrong
 * (`pack_options_invalid`, with `issues`), or building its tools failed (`pack_failed`).
 */
export type ToolPackErrorCode = "pack_invalid" | "pack_options_invalid" | "pack_failed";

export class ToolPackError extends ParleyError<ToolPackErrorCode> {
  readonly pack: string | undefined;
  readonly issues: ToolPackOptionIssue[];

  constructor(
    code: ToolPackErrorCode,
    message: string,
    options?: { pack?: string; issues?: ToolPackOptionIssue[]; cause?: unknown },
  ) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.pack = options?.pack;
    this.issues = options?.issues ?? [];
  }
}

/** True when `value` has the shape of a ToolPack (name, version, description, tools). */
export function isToolPack(value: unknown): value is ToolPack {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === "string" &&
    typeof v.version === "string" &&
    typeof v.description === "string" &&
    (Array.isArray(v.tools) || typeof v.tools === "function")
  );
}

/**
 * Picks the pack out of an imported module: its default export, or an export named `pack`.
 * Throws `ToolPackError("pack_invalid")` when there is none.
 *
 * @example
 * const pack = packFromModule(await import("@parley/tools/clock"), "@parley/tools/clock");
 */
export function packFromModule(mod: unknown, specifier: string): ToolPack {
  const m = (mod ?? {}) as Record<string, unknown>;
  for (const candidate of [m.default, m.pack]) {
    if (isToolPack(candidate)) return candidate;
  }
  throw new ToolPackError(
    "pack_invalid",
    `${specifier} does not export a tool pack: expected a default export (or an export named "pack") made with defineToolPack({ name, version, description, tools })`,
    { pack: specifier },
  );
}

/**
 * Turns a pack and the agent file's `options:` into ready tools: validates the options, builds the tools,
 * applies the pack's `defaults` to tools that do not set them, and stamps each tool's `origin`
 * (`{ kind: "pack", pack: "name@version", file }`). `only/except/rename/overrides` are the loader's job.
 *
 * @example
 * const tools = await instantiateToolPack(clockPack, undefined, { baseDir: process.cwd() });
 */
export async function instantiateToolPack(
  pack: ToolPack,
  options: unknown,
  env: ToolPackEnv,
  file?: string,
): Promise<AnyToolDefinition[]> {
  const label = `${pack.name}@${pack.version}`;
  let parsed: unknown = options;
  if (pack.options) {
    const result = pack.options.safeParse(options ?? {}, parseOptions());
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({
        path: i.path.filter((p): p is string | number => typeof p !== "symbol"),
        message: i.message,
      }));
      const list = issues.map(
        (i) => `${i.path.length ? `options.${i.path.join(".")}` : "options"}: ${i.message}`,
      );
      throw new ToolPackError(
        "pack_options_invalid",
        `invalid options for pack ${label}: ${list.join("; ")}`,
        {
          pack: label,
          issues,
        },
      );
    }
    parsed = result.data;
  } else if (options !== undefined && options !== null) {
    throw new ToolPackError(
      "pack_options_invalid",
      `pack ${label} takes no options; remove "options:"`,
      {
        pack: label,
        issues: [{ path: [], message: "this pack takes no options" }],
      },
    );
  }
  let tools: AnyToolDefinition[];
  try {
    tools = typeof pack.tools === "function" ? await pack.tools(parsed, env) : pack.tools;
  } catch (error) {
    if (isParleyError(error)) throw error;
    throw new ToolPackError(
      "pack_failed",
      `pack ${label} failed to build its tools: ${(error as Error)?.message ?? error}`,
      {
        pack: label,
        cause: error,
      },
    );
  }
  return stampPackTools(pack, tools, file);
}

/**
 * Stamps a pack's built tools: `origin` (`{ kind: "pack", pack: "name@version", file }`; MCP tools keep their
 * `mcp` origin with the pack noted) and the pack's `defaults` where a tool sets none. Also used for a list a pack
 * reports later through `env.onToolsChanged`.
 *
 * @example
 * const ready = stampPackTools(pack, changedTools, resolvedFile);
 */
export function stampPackTools(
  pack: ToolPack,
  tools: AnyToolDefinition[],
  file?: string,
): AnyToolDefinition[] {
  const label = `${pack.name}@${pack.version}`;
  const d = pack.defaults ?? {};
  return tools.map((tool) => {
    // Tools a bridge made from an MCP server keep their "mcp" origin (the server's label), with the pack noted.
    const origin =
      tool.origin?.kind === "mcp"
        ? { ...tool.origin, pack: label }
        : { kind: "pack" as const, pack: label, file: file ?? tool.origin?.file };
    const out: AnyToolDefinition = { ...tool, origin };
    // Only fill what the tool leaves open, and never write explicit `undefined` keys.
    if (out.timeout === undefined && d.timeout !== undefined) out.timeout = d.timeout;
    if (out.filler === undefined && d.filler !== undefined) out.filler = d.filler;
    if (out.approval === undefined && d.approval !== undefined) out.approval = d.approval;
    if (out.onInterrupt === undefined && d.onInterrupt !== undefined)
      out.onInterrupt = d.onInterrupt;
    return out;
  });
}
