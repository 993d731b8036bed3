import type { ModelTool } from "../types.ts";
import { argumentsFrom } from "./arguments.ts";
import { MATCH_THRESHOLD, similarity } from "./examples.ts";
import { extractSlots, fillSlots } from "./slots.ts";

export interface ChosenCall {
  tool: ModelTool;
  arguments: Record<string, unknown>;
  score: number;
}

// Words too common in requests to say which tool is meant.
const STOP = new Set(
  "a an the i i'm i'd me my you your we our us is are was be do does did can could would will shall what when where which who how why if please tell about any anything there it it's its of for to in on at and or with have has get got some this that these those from by as so just like want need much many very one two three four five six seven eight nine ten once only".split(
    " ",
  ),
);

// Everyday words for what tools are named after (a tool named for "price" answers "how much" and "cost").
const SYNONYMS: Record<string, string[]> = {
  price: ["cost", "much"],
  availability: ["free", "available"],
  book: ["reserve", "reservation"],
  invoice: ["bill"],
  time: ["clock"],
};

/** The least summed word weight at which an utterance asks for a tool without matching one of its examples. */
const WORDS_THRESHOLD = 1;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9']+/)
    .filter(Boolean)
    .map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w));
}

/** Content words, with neighbours joined too ("pick up" also gives "pickup"). */
function contentWords(text: string): Set<string> {
  const all = words(text);
  const out = new Set(all.filter((w) => !STOP.has(w) && !/^\d/.test(w)));
  for (let i = 0; i + 1 < all.length; i++) out.add(`${all[i]}${all[i + 1]}`);
  return out;
}

/** What a tool is about: its name, description (without the examples block), examples and enum values. */
function vocabulary(tool: ModelTool): Set<string> {
  const description = tool.description.replace(/\n\s*Examples:[\s\S]*$/, "");
  const name = tool.name.replace(/_/g, " ");
  const out = contentWords([name, description, ...tool.examples.map((e) => e.utterance)].join(" "));
  for (const w of words(name)) for (const s of SYNONYMS[w] ?? []) out.add(s);
  for (const v of enumValues(tool)) out.add(v);
  return out;
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

/**
 * How well an utterance asks for each tool: its similarity to the tool's examples (slots compared by kind), and the
 * words it shares with what the tool is about, each weighted by how few of the tools have it (idf) — a word every
 * tool has ("room" at a hotel) counts little, a telling one ("free", "book") much.
 */
export function toolScores(
  utterance: string,
  tools: readonly ModelTool[],
): Array<{ tool: ModelTool; example: number; words: number }> {
  const vocabularies = tools.map(vocabulary);
  const said = contentWords(utterance);
  return tools.map((tool, i) => {
    let example = 0;
    for (const e of tool.examples) example = Math.max(example, similarity(utterance, e.utterance));
    let weight = 0;
    for (const w of said) {
      if (!vocabularies[i]?.has(w)) continue;
      const df = vocabularies.filter((v) => v.has(w)).length;
      // Tool names are verb_object: the verb ("place" in place_order, "book" in book_room) says the most.
      const named = words(tool.name.replace(/_/g, " "))[0] === w ? 2 : 1;
      weight += named * Math.log((tools.length + 1) / df);
    }
    return { tool, example, words: weight };
  });
}

function bestExample(
  utterance: string,
  tool: ModelTool,
): ModelTool["examples"][number] | undefined {
  let top: { e: ModelTool["examples"][number]; score: number } | undefined;
  for (const e of tool.examples) {
    const score = similarity(utterance, e.utterance);
    if (!top || score > top.score) top = { e, score };
  }
  return top?.e;
}

/** The call an utterance asks of one tool: its best example's arguments, overridden by what the user said. */
export function callFor(utterance: string, tool: ModelTool, today: Date): Record<string, unknown> {
  const example = bestExample(utterance, tool);
  const fallback = example
    ? (fillSlots(
        example.arguments,
        extractSlots(example.utterance).slots,
        extractSlots(utterance).slots,
      ) as Record<string, unknown>)
    : {};
  return argumentsFrom(utterance, tool.parameters, today, fallback);
}

function isQuestion(utterance: string): boolean {
  const u = utterance.trim().toLowerCase();
  if (/\b(who are you|your name)\b/.test(u)) return false;
  return /\?$/.test(u) || /^(how|what|when|where|why|which|can|could|do|does|is|are)\b/.test(u);
}

function best(
  utterance: string,
  tools: readonly ModelTool[],
): { tool: ModelTool; score: number } | undefined {
  let top: { tool: ModelTool; score: number } | undefined;
  // One telling word is enough however few tools there are (with one tool, its words weigh ln 2).
  const enough = Math.min(WORDS_THRESHOLD, Math.log(tools.length + 1));
  for (const s of toolScores(utterance, tools)) {
    if (s.example < MATCH_THRESHOLD && s.words < enough) continue;
    const score = 2 * s.example + s.words;
    if (!top || score > top.score) top = { tool: s.tool, score };
  }
  if (top) return top;
  // A question no tool is named for goes to a tool that searches (one with a query parameter).
  if (isQuestion(utterance)) {
    const searcher = tools.find((t) =>
      Object.keys(t.parameters?.properties ?? {}).some((k) => /query|question/.test(k)),
    );
    if (searcher) return { tool: searcher, score: 0 };
  }
  return undefined;
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
    const chosen = parts.flatMap((part) => {
      const pick = best(part, tools);
      return pick ? [{ part, ...pick }] : [];
    });
    if (chosen.length >= 2 && new Set(chosen.map((p) => p.tool)).size === chosen.length)
      return chosen.map((p) => ({
        tool: p.tool,
        arguments: callFor(p.part, p.tool, today),
        score: p.score,
      }));
  }
  const top = best(utterance, tools);
  return top
    ? [{ tool: top.tool, arguments: callFor(utterance, top.tool, today), score: top.score }]
    : [];
}
