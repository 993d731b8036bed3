import { extname } from "node:path";
import { locateImportFailure } from "./import-error.ts";
import type { ModuleCache } from "./module-cache.ts";
import { parseMarkdownSource } from "./parse-markdown.ts";
import { type ParsedSource, parseYamlSource } from "./parse-yaml.ts";
import type { Problem } from "./problem.ts";
import { readRegularFile } from "./read-bounded.ts";
import { cloneLocated, registerContainer } from "./source-map.ts";
import { lineStarts, positionAt } from "./text-position.ts";

/** Reads a file's text; injected so load stays a pure function of its inputs in tests. */
export type FileReader = (file: string) => Promise<string>;
export const readUtf8: FileReader = (file) => readRegularFile(file);

const parsedCache = new Map<string, { text: string; result: ParsedSource }>();

export type AgentFileKind = "yaml" | "markdown" | "typescript";

/** The kind of agent file by its name: `.agent.yaml`/`.yml`, `.agent.md`, `.agent.ts` (also plain `.yaml`, `.md`, `.ts` for bases). */
export function agentFileKind(file: string): AgentFileKind | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".md" || ext === ".markdown") return "markdown";
  if ([".ts", ".mts", ".js", ".mjs"].includes(ext)) return "typescript";
  return undefined;
}

export interface SourceResult extends ParsedSource {
  /** Tools given as `defineTool(...)` values in an `.agent.ts` file, pulled out before validation. */
  definedTools: { index: number; tool: Record<string, unknown> }[];
  /** For an `.agent.ts` file: the original position of each entry left in `tools` (to keep the file's order). */
  toolOrder?: number[];
  /** Files the source imported (an `.agent.ts` file's module graph). */
  imported: string[];
}

/**
 * Parses one agent (or base) file into plain values with registered positions. An `.agent.ts` file is imported
 * and its default export used; its positions are found by searching the source for each top-level key.
 */
export async function readAgentSource(
  file: string,
  text: string,
  modules: ModuleCache,
): Promise<SourceResult> {
  const kind = agentFileKind(file);
  if (kind === "yaml" || kind === "markdown") {
    // Loading the same unchanged file again (a server loading its agent per call, `agent dev` after an edit
    // elsewhere) reuses the parse; the copy keeps positions, and callers may change it freely.
    let parsed = parsedCache.get(file);
    if (parsed?.text !== text) {
      parsed = {
        text,
        result: kind === "yaml" ? parseYamlSource(text, file) : parseMarkdownSource(text, file),
      };
      parsedCache.set(file, parsed);
    }
    return {
      value: cloneLocated(parsed.result.value),
      problems: parsed.result.problems,
      definedTools: [],
      imported: [],
    };
  }
  const fail = (code: string, message: string): SourceResult => ({
    value: undefined,
    problems: [
      { code, message, file, line: 1, col: 1, path: "", severity: "error" } satisfies Problem,
    ],
    definedTools: [],
    imported: [],
  });
  if (kind !== "typescript")
    return fail("unsupported_file", "an agent file ends in .agent.yaml, .agent.md or .agent.ts");
  let imported: { module: Record<string, unknown>; files: string[] };
  try {
    imported = await modules.import(file);
  } catch (error) {
    const located = locateImportFailure(error);
    if (located) {
      const { code, message, ...at } = located;
      return {
        ...fail(code, message),
        problems: [{ code, message, ...at, path: "", severity: "error" }],
      };
    }
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return fail("import_failed", `could not import the agent module: ${message}`);
  }
  const exported = imported.module.default ?? imported.module.agent;
  if (!exported || typeof exported !== "object" || Array.isArray(exported)) {
    return fail(
      "no_default_export",
      "an .agent.ts file must `export default defineAgent({ ... })`",
    );
  }
  const starts = lineStarts(text);
  const raw: Record<string, unknown> = { ...(exported as Record<string, unknown>) };
  const info = registerContainer(raw, { file, line: 1, col: 1 });
  for (const key of Object.keys(raw)) {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const match = new RegExp(`(^|[\\s{,])(${escaped})\\s*:`, "m").exec(text);
    const loc = match
      ? { file, ...positionAt(starts, match.index + (match[1] ?? "").length) }
      : info.self;
    info.keys.set(key, { key: loc, value: loc });
  }
  const definedTools: SourceResult["definedTools"] = [];
  const toolOrder: number[] = [];
  if (Array.isArray(raw.tools)) {
    const rest: unknown[] = [];
    raw.tools.forEach((tool, index) => {
      if (
        tool &&
        typeof tool === "object" &&
        typeof (tool as { run?: unknown }).run === "function"
      ) {
        definedTools.push({ index, tool: tool as Record<string, unknown> });
      } else {
        rest.push(tool);
        toolOrder.push(index);
      }
    });
    raw.tools = rest;
    const toolsLoc = info.keys.get("tools")?.value ?? info.self;
    registerContainer(rest, toolsLoc).items.push(...rest.map(() => toolsLoc));
  }
  return { value: raw, problems: [], definedTools, imported: imported.files, toolOrder };
}
