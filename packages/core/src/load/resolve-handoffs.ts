import { existsSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { LoadedHandoff } from "../contracts/agent.ts";
import type { AgentConfig } from "../schema/agent.ts";
import { problemAt } from "./located.ts";
import { parseMarkdownSource } from "./parse-markdown.ts";
import { parseYamlSource } from "./parse-yaml.ts";
import { agentFileKind, type FileReader, readAgentSource } from "./read-source.ts";
import { declaringFile, type ResolveContext } from "./resolve-tools.ts";

export type { LoadedHandoff } from "../contracts/agent.ts";

/**
 * Resolves `handoffs:` to the other agents' names and descriptions. The other files are only read, not loaded
 * in full (two agents may hand off to each other); a missing file is a located problem.
 */
export async function resolveHandoffs(
  ctx: ResolveContext,
  handoffs: NonNullable<AgentConfig["handoffs"]>,
  reader: FileReader,
): Promise<LoadedHandoff[]> {
  const out: LoadedHandoff[] = [];
  for (const [i, entry] of handoffs.entries()) {
    const spec = typeof entry === "string" ? entry : entry.agent;
    const path: PropertyKey[] =
      typeof entry === "string" ? ["handoffs", i] : ["handoffs", i, "agent"];
    const target = resolve(dirname(declaringFile(ctx, path)), spec);
    if (!existsSync(target) || !agentFileKind(target)) {
      ctx.problems.push(
        problemAt(
          ctx.root,
          path,
          "handoff_missing",
          `handoff agent file not found: ${spec}`,
          ctx.file,
          { hint: `looked for ${target}` },
        ),
      );
      continue;
    }
    ctx.files.add(target);
    const header = await readHeader(target, reader, ctx);
    const name = header.name ?? basename(target).replace(/\.agent\.\w+$/, "");
    out.push({
      name,
      file: target,
      toolName: `transfer_to_${name.replace(/[^a-zA-Z0-9_]/g, "_")}`.slice(0, 64),
      description:
        (typeof entry === "object" ? entry.description : undefined) ??
        header.description ??
        `Hand the conversation over to ${name}.`,
    });
  }
  return out;
}

async function readHeader(
  file: string,
  reader: FileReader,
  ctx: ResolveContext,
): Promise<{ name?: string; description?: string }> {
  try {
    const text = await reader(file);
    const kind = agentFileKind(file);
    const value =
      kind === "yaml"
        ? parseYamlSource(text, file).value
        : kind === "markdown"
          ? parseMarkdownSource(text, file).value
          : (await readAgentSource(file, text, ctx.modules)).value;
    const v = (value ?? {}) as Record<string, unknown>;
    return {
      ...(typeof v.name === "string" ? { name: v.name } : {}),
      ...(typeof v.description === "string" ? { description: v.description } : {}),
    };
  } catch {
    return {};
  }
}
