import { basename } from "node:path";
import { isDeepStrictEqual } from "node:util";

/** The parts of a loaded agent a change summary reads (a `LoadedAgent` fits). */
export interface AgentShape {
  config: Record<string, unknown>;
  tools: readonly {
    name: string;
    description?: string;
    parameters?: unknown;
    origin?: { file?: string };
  }[];
}

/**
 * One line saying what a reload changed, for the person who just pressed save:
 * `instructions, voice (marin → cedar); tools +cancel_booking −lookup; re-imported tools.ts`.
 *
 * @example
 * summarizeChange(before, after, ["/a/tools.ts"]) // "re-imported tools.ts"
 */
export function summarizeChange(
  before: AgentShape,
  after: AgentShape,
  changedFiles: readonly string[],
): string {
  const parts: string[] = [];
  const keys = new Set([...Object.keys(before.config), ...Object.keys(after.config)]);
  const fields: string[] = [];
  for (const key of keys) {
    if (key === "tools") continue;
    const a = before.config[key];
    const b = after.config[key];
    if (isDeepStrictEqual(a, b)) continue;
    fields.push(isShort(a) && isShort(b) ? `${key} (${show(a)} → ${show(b)})` : key);
  }
  if (fields.length) parts.push(fields.join(", "));

  const oldTools = new Map(before.tools.map((t) => [t.name, t]));
  const newTools = new Map(after.tools.map((t) => [t.name, t]));
  const toolChanges: string[] = [];
  for (const name of newTools.keys()) if (!oldTools.has(name)) toolChanges.push(`+${name}`);
  for (const name of oldTools.keys()) if (!newTools.has(name)) toolChanges.push(`−${name}`);
  for (const [name, t] of newTools) {
    const old = oldTools.get(name);
    if (
      old &&
      (old.description !== t.description || !isDeepStrictEqual(old.parameters, t.parameters))
    )
      toolChanges.push(`~${name}`);
  }
  if (toolChanges.length === 0 && !isDeepStrictEqual(before.config.tools, after.config.tools))
    toolChanges.push("settings");
  if (toolChanges.length) parts.push(`tools ${toolChanges.join(" ")}`);

  const code = changedFiles.filter((f) => /\.[cm]?[jt]sx?$/.test(f) && !/\.agent\.ts$/.test(f));
  if (code.length) parts.push(`re-imported ${code.map((f) => basename(f)).join(", ")}`);
  return parts.length ? parts.join("; ") : "no change to the session";
}

function isShort(v: unknown): boolean {
  return (
    v === undefined ||
    typeof v === "number" ||
    typeof v === "boolean" ||
    (typeof v === "string" && v.length <= 24 && !v.includes("\n"))
  );
}

function show(v: unknown): string {
  return v === undefined ? "unset" : String(v);
}
