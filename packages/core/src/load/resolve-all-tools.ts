import { z } from "zod";
import { parametersJsonSchema } from "../compile/tools.ts";
import { delegateToolSchema, inlineToolSchema, packUseSchema, TOOL_NAME } from "../schema/tools.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";
import type { LoadState } from "./load-raw.ts";
import { problemAt } from "./located.ts";
import { checkParameters } from "./parameters.ts";
import { parseOptions } from "./parse-options.ts";
import type { Problem } from "./problem.ts";
import { delegateTool } from "./resolve-delegates.ts";
import { resolveMcpBridges } from "./resolve-mcp-bridges.ts";
import { resolvePackUse } from "./resolve-packs.ts";
import {
  asToolDefinition,
  declaringFile,
  type ResolveContext,
  resolveInlineTool,
} from "./resolve-tools.ts";

// Unknown keys are reported by the full schema; resolving handlers and packs despite them reports everything at once.
const lenientInline = z.object(inlineToolSchema.shape);
const lenientPack = z.object(packUseSchema.shape);
const lenientDelegate = z.object(delegateToolSchema.shape);

/** A resolved tool and the `tools[i]` entry it came from. */
export interface ResolvedTool {
  tool: AnyToolDefinition;
  path: PropertyKey[];
  order: number;
}

/**
 * Every tool of the agent in file order: inline tools with their handlers, pack tools after
 * only/except/rename/overrides, and (in an `.agent.ts` file) `defineTool` values. Checks parameters and names.
 */
export async function resolveAllTools(
  ctx: ResolveContext,
  raw: Record<string, unknown>,
  state: LoadState,
  env: Record<string, string | undefined>,
): Promise<ResolvedTool[]> {
  const absolute = ctx.file;
  const entries = Array.isArray(raw?.tools) ? (raw.tools as unknown[]) : [];
  const resolved: ResolvedTool[] = [];
  // An .agent.ts file's defineTool values were taken out of `tools`; `order` puts everything back in file order.
  const orderOf = (index: number): number => state.toolOrder?.[index] ?? index;
  for (const [index, entry] of entries.entries()) {
    if (entry && typeof entry === "object" && "use" in entry) {
      const pack = lenientPack.safeParse(entry, parseOptions());
      if (!pack.success) continue;
      for (const tool of await resolvePackUse(ctx, index, pack.data, env))
        resolved.push({ tool, path: ["tools", index], order: orderOf(index) });
    } else if (entry && typeof entry === "object" && "delegate" in entry) {
      if ("parameters" in entry)
        state.problems.push(...checkParameters(raw, ["tools", index, "parameters"], absolute));
      const delegate = lenientDelegate.safeParse(entry, parseOptions());
      if (!delegate.success) continue;
      const tool = delegateTool(delegate.data, declaringFile(ctx, ["tools", index]));
      resolved.push({ tool, path: ["tools", index], order: orderOf(index) });
    } else {
      if (entry && typeof entry === "object" && "parameters" in entry) {
        state.problems.push(...checkParameters(raw, ["tools", index, "parameters"], absolute));
      }
      const inline = lenientInline.safeParse(entry, parseOptions());
      if (!inline.success) continue;
      const tool = await resolveInlineTool(ctx, index, inline.data);
      if (tool) resolved.push({ tool, path: ["tools", index], order: orderOf(index) });
    }
  }
  // Bridged MCP servers (mcp: with command:, or bridge: true) come after every tools: entry.
  for (const { tool, path } of await resolveMcpBridges(ctx, raw, env))
    resolved.push({ tool, path, order: Number.MAX_SAFE_INTEGER });
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
  for (const { tool, path } of resolved) {
    // Tools from code (.agent.ts, handler modules, packs) skipped the file schema: the API's rules still apply.
    if (typeof tool.name !== "string" || !TOOL_NAME.test(tool.name)) {
      state.problems.push(
        problemAt(
          raw,
          path,
          "invalid_tool",
          `tool name ${JSON.stringify(tool.name)} is not allowed`,
          absolute,
          {
            hint: "a tool name is 1–64 letters, digits, underscores or dashes",
          },
        ),
      );
    }
    if (typeof tool.description !== "string" || tool.description.trim() === "") {
      state.problems.push(
        problemAt(
          raw,
          path,
          "invalid_tool",
          `tool ${String(tool.name)} has no description`,
          absolute,
          {
            hint: "the model reads the description to decide when to call the tool",
          },
        ),
      );
    }
    // A zod schema with a Date or a BigInt has no JSON Schema: say so now, not as a crash when compiling.
    try {
      parametersJsonSchema(tool.parameters);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      state.problems.push(
        problemAt(
          raw,
          path,
          "invalid_parameters",
          `the parameters of ${tool.name} cannot be sent to the model: ${reason}`,
          absolute,
          {
            hint: "use types JSON can carry (a date as an ISO string: z.iso.date())",
          },
        ),
      );
    }
  }
  return resolved;
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
        first.join(".") === path.join(".")
          ? "in the same pack"
          : `also ${String(first[0])}[${String(first[1])}]`;
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
