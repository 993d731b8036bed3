import type { ModelTool } from "../types.ts";
import { extractSlots, fillSlots } from "./slots.ts";

/**
 * Reads the trailing examples block the compiler appends to a function tool's description:
 * ```
 * Examples:
 * - "book a room for two nights" → {"nights":2}
 * ```
 * Lines that do not parse are skipped (the block is a hint, not a contract the server enforces).
 */
export function parseExamples(description: string): ModelTool["examples"] {
  const at = description.search(/^\s*Examples:\s*$/m);
  if (at < 0) return [];
  const out: ModelTool["examples"] = [];
  for (const line of description.slice(at).split("\n").slice(1)) {
    const m = /^\s*-\s*"((?:[^"\\]|\\.)*)"\s*(?:→|->)\s*(\{.*\})\s*$/.exec(line);
    if (!m) continue;
    try {
      const args = JSON.parse(m[2] as string) as unknown;
      if (args && typeof args === "object" && !Array.isArray(args))
        out.push({
          utterance: JSON.parse(`"${m[1]}"`) as string,
          arguments: args as Record<string, unknown>,
        });
    } catch {
      // not JSON: skip the line
    }
  }
  return out;
}

const STOPWORDS = new Set([
  "a",
  "an",
  "the",
  "please",
  "can",
  "could",
  "would",
  "you",
  "i",
  "me",
  "my",
  "to",
  "for",
  "of",
  "is",
  "it",
  "do",
  "want",
  "like",
  "id",
  "i'd",
  "im",
  "and",
  "on",
  "at",
  "in",
  "some",
  "just",
  "hey",
  "hi",
  "so",
  "will",
]);

function tokens(masked: string): Set<string> {
  const words = masked
    .toLowerCase()
    .replace(/[^\p{L}\p{N}<>'\s]/gu, " ")
    .split(/\s+/)
    .filter((w) => w && !STOPWORDS.has(w))
    .map((w) => (w.length > 4 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w));
  return new Set(words);
}

/** Dice overlap of the two utterances' content words, slots compared by kind. 1 = same words. */
export function similarity(a: string, b: string): number {
  const ta = tokens(extractSlots(a).masked);
  const tb = tokens(extractSlots(b).masked);
  if (!ta.size || !tb.size) return 0;
  let common = 0;
  for (const t of ta) if (tb.has(t)) common++;
  return (2 * common) / (ta.size + tb.size);
}

/** The least similarity at which an utterance counts as matching a tool example. */
export const MATCH_THRESHOLD = 0.6;

/**
 * The tool call an utterance asks for, by its best-matching example, with the user's slots filled in;
 * undefined when no example is similar enough.
 */
export function matchExample(
  utterance: string,
  tools: readonly ModelTool[],
  threshold = MATCH_THRESHOLD,
): { tool: ModelTool; arguments: Record<string, unknown>; score: number } | undefined {
  let best: { tool: ModelTool; example: ModelTool["examples"][number]; score: number } | undefined;
  for (const tool of tools) {
    for (const example of tool.examples) {
      const score = similarity(utterance, example.utterance);
      if (score >= threshold && (!best || score > best.score)) best = { tool, example, score };
    }
  }
  if (!best) return undefined;
  const filled = fillSlots(
    best.example.arguments,
    extractSlots(best.example.utterance).slots,
    extractSlots(utterance).slots,
  );
  return { tool: best.tool, arguments: filled as Record<string, unknown>, score: best.score };
}
