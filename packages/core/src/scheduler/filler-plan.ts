import type { RealtimeResponseCreateParams } from "openai/resources/realtime/realtime";
import { toMs } from "../tool/duration.ts";
import type { ToolFillerOptions } from "../tool/index.ts";

/** Defaults when neither the tool nor the agent says otherwise: first filler at 1.5s, again every 5s, at most 3. */
export const DEFAULT_FILLER = { afterMs: 1500, everyMs: 5000, max: 3 } as const;

/** A tool's filler settings, resolved once at setup. */
export interface FillerPlan {
  enabled: boolean;
  afterMs: number;
  /** Undefined: say at most one. */
  everyMs: number | undefined;
  max: number;
  lines: string[] | Record<string, string[]> | undefined;
  /** Extra instruction for generated lines (true: the default instruction only). */
  generate: string | boolean;
  outOfBand: boolean;
}

/** What the agent says while an approval is pending (the agent file's `approval.filler`). */
export interface ApprovalFillerOptions {
  lines?: string[] | Record<string, string[]>;
  generate?: boolean | string;
}

/**
 * Merges a tool's `filler` over the agent's `filler` defaults. `false` (or `enabled: false`) on either turns fillers
 * off, the tool's own setting winning. Lines given: said in rotation; none given: the model generates the line.
 */
export function resolveFillerPlan(
  tool: ToolFillerOptions | false | undefined,
  agent: ToolFillerOptions | false | undefined,
): FillerPlan {
  const a = agent === false ? { enabled: false } : (agent ?? {});
  const t = tool === false ? { enabled: false } : (tool ?? {});
  const merged: ToolFillerOptions = { ...a, ...t };
  const every =
    merged.every === undefined ? DEFAULT_FILLER.everyMs : toMs(merged.every, "filler.every");
  return {
    enabled: merged.enabled !== false && (merged.max === undefined || merged.max > 0),
    afterMs:
      merged.after === undefined ? DEFAULT_FILLER.afterMs : toMs(merged.after, "filler.after"),
    everyMs: every > 0 ? every : undefined,
    max: merged.max ?? DEFAULT_FILLER.max,
    lines: merged.lines,
    generate: merged.generate ?? !hasLines(merged.lines),
    outOfBand: merged.outOfBand !== false,
  };
}

function hasLines(lines: ToolFillerOptions["lines"]): boolean {
  if (!lines) return false;
  return Array.isArray(lines) ? lines.length > 0 : Object.values(lines).some((l) => l.length > 0);
}

/**
 * The `index`-th line in rotation, in the persona's language: exact tag ("fr-CA"), then its primary subtag ("fr"),
 * then "en", then the first language listed.
 *
 * @example
 * pickLine({ en: ["One moment."], fr: ["Un instant."] }, "fr-FR", 0) // "Un instant."
 */
export function pickLine(
  lines: FillerPlan["lines"],
  language: string | undefined,
  index: number,
): string | undefined {
  if (!lines) return undefined;
  let list: string[] | undefined;
  if (Array.isArray(lines)) list = lines;
  else {
    const lang = language?.toLowerCase();
    const primary = lang?.split(/[-_]/)[0];
    const key =
      Object.keys(lines).find((k) => k.toLowerCase() === lang) ??
      Object.keys(lines).find((k) => k.toLowerCase() === primary);
    list = (key ? lines[key] : undefined) ?? lines.en ?? Object.values(lines)[0];
  }
  if (!list || list.length === 0) return undefined;
  return list[index % list.length];
}

export { sayExactly } from "../contracts/fillers.ts";

/** Instructions for a generated "still working" line: short, and never a made-up result. */
export function generatedRunInstruction(
  tool: string,
  language: string | undefined,
  extra: string | boolean,
): string {
  return [
    `The tool "${tool}" is still running and its result is not available yet.`,
    "Say one short sentence (at most 12 words) telling the user you are still working on it.",
    "Do not state, guess or invent any result, number, name, date or outcome. Do not ask a question.",
    language ? `Speak in the language "${language}".` : "",
    typeof extra === "string" ? extra : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/** Instructions for a generated "waiting for confirmation" line. */
export function generatedApprovalInstruction(
  tool: string,
  language: string | undefined,
  extra: string | boolean,
): string {
  return [
    `The action "${tool}" needs a confirmation before it can run, and you are waiting for it.`,
    "Say one short sentence telling the user you are waiting for that confirmation.",
    "Do not say whether it will be approved and do not invent any result.",
    language ? `Speak in the language "${language}".` : "",
    typeof extra === "string" ? extra : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/** The `response.create` parameters of one filler. Metadata lets runtimes, UIs and tests tell fillers apart. */
export function fillerResponse(
  instructions: string,
  meta: { callId: string; tool: string; phase: "approval" | "run" },
  outOfBand: boolean,
): RealtimeResponseCreateParams {
  return {
    ...(outOfBand ? { conversation: "none" as const } : {}),
    instructions,
    // A filler must never start another tool call.
    tool_choice: "none",
    metadata: { parley: "filler", call_id: meta.callId, tool: meta.tool, phase: meta.phase },
  };
}
