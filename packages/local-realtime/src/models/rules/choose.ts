import type { ModelTool } from "../types.ts";
import { argumentsFrom } from "./arguments.ts";
import { MATCH_THRESHOLD, similarity } from "./examples.ts";
import { extractSlots, fillSlots } from "./slots.ts";

export interface ChosenCall {
  tool: ModelTool;
  arguments: Record<string, unknown>;
  score: number;
}

// Words of tool names that say nothing about what a tool does.
const GENERIC = new Set([
  "get",
  "set",
  "check",
  "current",
  "to",
  "of",
  "the",
  "do",
  "run",
  "make",
  "between",
]);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w));
}

/**
 * How well an utterance asks for a tool, 0–1: the best of its similarity to the tool's examples and a score from the
 * tool's name words it mentions ("book" and "room" for book_room), raised when it names one of the tool's enum
 * values ("suite", "croissant").
 */
export function toolScore(
  utterance: string,
  tool: ModelTool,
): { score: number; example: ModelTool["examples"][number] | undefined } {
  let best: { score: number; example: ModelTool["examples"][number] | undefined } = {
    score: 0,
    example: undefined,
  };
  for (const example of tool.examples) {
    const score = similarity(utterance, example.utterance);
    if (score > best.score) best = { score, example };
  }
  const said = new Set(words(utterance));
  const nameWords = words(tool.name).filter((w) => !GENERIC.has(w));
  const hits = nameWords.filter((w) => said.has(w)).length;
  let score = best.score;
  if (hits > 0) score = Math.max(score, 0.5 + (0.25 * hits) / nameWords.length);
  if (enumValues(tool).some((v) => said.has(v))) score += 0.15;
  return { score: Math.min(1, score), example: best.example ?? tool.examples[0] };
}

function enumValues(tool: ModelTool): string[] {
  const out: string[] = [];
  const visit = (schema: unknown) => {
    if (!schema || typeof schema !== "object") return;
    const s = schema as { enum?: unknown[]; properties?: Record<string, unknown>; items?: unknown };
    for (const v of s.enum ?? []) if (typeof v === "string") out.push(...words(v));
    for (const p of Object.values(s.properties ?? {})) visit(p);
    visit(s.items);
  };
  visit(tool.parameters);
  return out;
}

/** The call an utterance asks of one tool: its best example's arguments, overridden by what the user said. */
export function callFor(utterance: string, tool: ModelTool, today: Date): Record<string, unknown> {
  const { example } = toolScore(utterance, tool);
  const fallback = example
    ? (fillSlots(
        example.arguments,
        extractSlots(example.utterance).slots,
        extractSlots(utterance).slots,
      ) as Record<string, unknown>)
    : {};
  return argumentsFrom(utterance, tool.parameters, today, fallback);
}

function best(
  utterance: string,
  tools: readonly ModelTool[],
): { tool: ModelTool; score: number } | undefined {
  let top: { tool: ModelTool; score: number } | undefined;
  for (const tool of tools) {
    const { score } = toolScore(utterance, tool);
    if (score >= MATCH_THRESHOLD && (!top || score > top.score)) top = { tool, score };
  }
  return top;
}

/**
 * The calls an utterance asks for. One request gives one call; a request for two things of two different tools
 * ("book the suite and what time is it in Tokyo") gives two calls in one response — as gpt-realtime makes parallel
 * calls — unless `parallel` is false.
 *
 * @example
 * chooseCalls("what time is it in London", tools, new Date(), true) // [{ tool: current_time, arguments: { timeZone: "Europe/London" } }]
 */
export function chooseCalls(
  utterance: string,
  tools: readonly ModelTool[],
  today: Date,
  parallel: boolean,
): ChosenCall[] {
  if (parallel) {
    const parts = utterance
      .split(/\s*(?:,\s*)?\b(?:and also|and then|and|also|then)\b\s*|;\s*/i)
      .filter((p) => p.trim());
    const picks = parts.map((part) => ({ part, pick: best(part, tools) }));
    const chosen = picks.filter((p) => p.pick);
    const distinct = new Set(chosen.map((p) => p.pick?.tool));
    if (chosen.length >= 2 && distinct.size === chosen.length)
      return chosen.map(({ part, pick }) => ({
        tool: (pick as { tool: ModelTool }).tool,
        arguments: callFor(part, (pick as { tool: ModelTool }).tool, today),
        score: (pick as { score: number }).score,
      }));
  }
  const top = best(utterance, tools);
  return top
    ? [{ tool: top.tool, arguments: callFor(utterance, top.tool, today), score: top.score }]
    : [];
}
