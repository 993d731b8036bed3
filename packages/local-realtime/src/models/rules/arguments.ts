import { type SaidDate, saidDates, timesAsDigits } from "./dates.ts";
import { type SpokenNumber, spokenNumbers } from "./numbers.ts";
import { personName } from "./people.ts";
import { placeIn, timeZoneOf } from "./places.ts";

/** The part of a tool's JSON Schema the rules model reads. */
export interface ParamSchema {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  format?: string;
  pattern?: string;
  items?: ParamSchema;
  properties?: Record<string, ParamSchema>;
  required?: string[];
  anyOf?: ParamSchema[];
}

type Kind =
  | "enum"
  | "date"
  | "time"
  | "zone"
  | "place"
  | "person"
  | "number"
  | "lines"
  | "code"
  | "email"
  | "query"
  | "reason"
  | "other";

// Words that a counted noun may be said with, beyond the property's own name and description.
const SYNONYMS: Record<string, string[]> = {
  guest: ["people", "person", "adult", "guest"],
  quantity: ["piece", "item", "one"],
  amount: ["pound", "euro", "dollar", "buck", "quid"],
};
const CURRENCY = /^(pounds?|quid|euros?|dollars?|bucks?|gbp|eur|usd)\b/;

/**
 * Tool arguments read from what the user said, property by property, by the parameters' JSON Schema: an enum value
 * named in the utterance, a date or time resolved from `today` ("next Friday", "the 12th of March"), a number said in
 * digits or words next to the word it counts ("two nights", "thirty eight pounds"), a person's name, a place or its
 * time zone. What the utterance does not say comes from `fallback` (the tool's best-matching example). Deterministic.
 *
 * @example
 * argumentsFrom("a suite for two nights from Friday for Grace Hopper", bookRoomSchema, new Date("2027-03-03"), {})
 * // { room_type: "suite", check_in: "2027-03-05", nights: 2, guest_name: "Grace Hopper" }
 */
export function argumentsFrom(
  utterance: string,
  schema: ParamSchema | undefined,
  today: Date,
  fallback: Record<string, unknown>,
): Record<string, unknown> {
  const properties = schema?.properties ?? {};
  // "at eight" → "at 8:00": one spelling for the date reader and the number reader, so their places agree.
  utterance = timesAsDigits(utterance);
  const dates = saidDates(utterance, today);
  const numbers = spokenNumbers(utterance).filter(
    (n) => !dates.some((d) => n.start < d.end && n.end > d.start),
  );
  const usedNumbers = new Set<SpokenNumber>();
  const usedDates = new Set<SaidDate>();
  const said: Record<string, unknown> = {};
  const entries = Object.entries(properties);
  // Numbers next to the word they count first, so "two nights, four people" does not depend on property order.
  for (const [name, prop] of entries) {
    if (kindOf(name, prop) !== "number") continue;
    const n = numbers.find((x) => !usedNumbers.has(x) && counts(x, name, prop));
    if (n && fitsNumber(prop, n.value)) {
      said[name] = n.value;
      usedNumbers.add(n);
    }
  }
  // Fewer dates said than date properties: the required ones take them ("days until the 24th" → `to`).
  const dateProps = entries.filter(([n, p]) => kindOf(n, p) === "date");
  const required = new Set(schema?.required ?? []);
  const ordered =
    dates.length < dateProps.length
      ? [...entries].sort(
          ([a, pa], [b, pb]) =>
            Number(kindOf(a, pa) === "date" && !required.has(a)) -
            Number(kindOf(b, pb) === "date" && !required.has(b)),
        )
      : entries;
  for (const [name, prop] of ordered) {
    if (name in said) continue;
    const value = readProperty(utterance, name, prop, { dates, usedDates });
    if (value !== undefined) said[name] = value;
  }
  // One number left for one numeric property: it is that one.
  const openNumeric = entries.filter(([n, p]) => kindOf(n, p) === "number" && !(n in said));
  const freeNumbers = numbers.filter((n) => !usedNumbers.has(n));
  if (openNumeric.length === 1 && freeNumbers.length === 1) {
    const [name, prop] = openNumeric[0] as [string, ParamSchema];
    const value = (freeNumbers[0] as SpokenNumber).value;
    if (fitsNumber(prop, value) && !(name in fallback && numbers.length > 1)) said[name] = value;
  }
  const out: Record<string, unknown> = {};
  for (const [name] of entries) {
    if (name in said) out[name] = said[name];
    else if (name in fallback) out[name] = fallback[name];
  }
  // Arguments an example has that the schema does not list are kept as they are.
  for (const [name, value] of Object.entries(fallback)) if (!(name in out)) out[name] = value;
  return out;
}

function readProperty(
  utterance: string,
  name: string,
  prop: ParamSchema,
  state: { dates: SaidDate[]; usedDates: Set<SaidDate> },
): unknown {
  const kind = kindOf(name, prop);
  switch (kind) {
    case "enum": {
      const lower = utterance.toLowerCase();
      return (prop.enum ?? []).find(
        (v) =>
          typeof v === "string" &&
          new RegExp(`\\b${escapeRegExp(v.toLowerCase().replace(/_/g, " "))}s?\\b`).test(lower),
      );
    }
    case "date":
    case "time": {
      const d = state.dates.find(
        (x) => !state.usedDates.has(x) && (kind === "date" || x.time !== undefined),
      );
      if (!d) return undefined;
      state.usedDates.add(d);
      return kind === "date" ? d.date : d.time;
    }
    case "zone": {
      const place = placeIn(utterance);
      return place ? timeZoneOf(place.name) : undefined;
    }
    case "place":
      return placeIn(utterance)?.name;
    case "person":
      return personName(utterance);
    case "lines":
      return orderLines(utterance, prop);
    case "email":
      return /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(utterance)?.[0];
    case "code":
      return codeIn(utterance, name, prop);
    case "query":
      return keywordsOf(utterance);
    case "reason":
      return reasonIn(utterance);
    default:
      return undefined;
  }
}

function kindOf(name: string, prop: ParamSchema): Kind {
  const type = typeOf(prop);
  if (prop.enum?.length) return "enum";
  const words = `${name} ${prop.description ?? ""}`.toLowerCase();
  if (type === "integer" || type === "number") return "number";
  if (type === "array" && linesShape(prop)) return "lines";
  if (type !== "string") return "other";
  if (prop.format === "email" || /\bemail\b/.test(words)) return "email";
  if (/\blike [a-z]+-\d+/.test(words)) return "code";
  if (/\b(query|keywords?|search|question|topic)\b/.test(words)) return "query";
  if (/\b(reason|why)\b/.test(words)) return "reason";
  if (prop.pattern?.includes(":")) return "time";
  if (prop.pattern?.includes("-")) return "date";
  if (
    prop.format === "date" ||
    /yyyy|\bdate\b|check.?in|check.?out|arrival|departure|\bday\b/.test(words)
  )
    return "date";
  if (/hh:mm|\btime\b/.test(words) && !/zone/.test(words)) return "time";
  if (/zone|timezone/.test(words)) return "zone";
  if (/\b(city|place|location|destination|town|where)\b/.test(words)) return "place";
  if (/name|guest|person|customer|caller/.test(words)) return "person";
  return "other";
}

/** An id shaped like the description's "like INV-2041": said in full, or as "invoice 2041". */
function codeIn(utterance: string, name: string, prop: ParamSchema): string | undefined {
  const prefix = /\blike ([A-Za-z]+)-\d+/.exec(prop.description ?? "")?.[1];
  if (!prefix) return undefined;
  const full = new RegExp(`\\b${prefix}-\\d+\\b`, "i").exec(utterance)?.[0];
  if (full) return full.toUpperCase();
  // "invoice 2041": the number said after the word the id is named for.
  const noun = name.split(/[_\s]/)[0] ?? "";
  const after = new RegExp(`\\b${noun}\\s+(?:number\\s+|no\\.?\\s+)?(\\d+)\\b`, "i").exec(
    utterance,
  )?.[1];
  return after ? `${prefix.toUpperCase()}-${after}` : undefined;
}

const FILLER_WORDS = new Set(
  "a an the i i'm i'd me my you your we our is are was do does did can could would will what when where which who how if please tell about any anything there it it's its of for to in on at and or with have has get".split(
    " ",
  ),
);

/** A search query: the utterance's content words ("what are your opening hours" → "opening hours"). */
function keywordsOf(utterance: string): string | undefined {
  const words = utterance
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s-]/gu, " ")
    .split(/\s+/)
    .filter((w) => w && !FILLER_WORDS.has(w));
  return words.length ? words.join(" ") : undefined;
}

/** Why, when the utterance says it: the clause after "because" or after the last comma ("…, I was charged twice"). */
function reasonIn(utterance: string): string | undefined {
  const m = /\b(?:because|since)\s+(.+)$/i.exec(utterance) ?? /,\s*([^,]+)$/.exec(utterance);
  if (!m) return undefined;
  return (m[1] as string)
    .replace(/^(?:i was|i've been|i have been|i got|it was|it's|i am|i'm)\s+/i, "")
    .replace(/[.!?]+$/, "")
    .trim();
}

/** An array of `{ <enum>, <count> }` objects: order lines ("two croissants and a sourdough"). */
function linesShape(
  prop: ParamSchema,
): { item: string; count: string; values: string[] } | undefined {
  const props = Object.entries(prop.items?.properties ?? {});
  const item = props.find(([, p]) => p.enum?.length);
  const count = props.find(([, p]) => typeOf(p) === "integer" || typeOf(p) === "number");
  if (!item || !count) return undefined;
  return { item: item[0], count: count[0], values: (item[1].enum ?? []).map(String) };
}

function orderLines(utterance: string, prop: ParamSchema): unknown[] | undefined {
  const shape = linesShape(prop);
  if (!shape) return undefined;
  const lower = utterance.toLowerCase();
  const numbers = spokenNumbers(utterance);
  const found: Array<{ at: number; line: Record<string, unknown> }> = [];
  for (const value of shape.values) {
    const re = new RegExp(`\\b${escapeRegExp(value.toLowerCase())}(?:e?s)?\\b`, "g");
    for (let m = re.exec(lower); m; m = re.exec(lower)) {
      const at = m.index;
      const before = lower.slice(0, at).trimEnd();
      // The number said right before the item counts it ("two croissants"); "a sourdough" is one.
      const n = numbers.find(
        (x) => x.end <= at && before.endsWith(utterance.slice(x.start, x.end).toLowerCase()),
      );
      found.push({ at, line: { [shape.item]: value, [shape.count]: n ? n.value : 1 } });
    }
  }
  return found.length ? found.sort((a, b) => a.at - b.at).map((f) => f.line) : undefined;
}

function typeOf(prop: ParamSchema): string | undefined {
  if (Array.isArray(prop.type)) return prop.type.find((t) => t !== "null");
  if (prop.type) return prop.type;
  return prop.anyOf?.map(typeOf).find((t) => t && t !== "null");
}

/** Does the number count what this property is about ("two nights" → nights; "£38" / "38 pounds" → an amount)? */
function counts(n: SpokenNumber, name: string, prop: ParamSchema): boolean {
  const nextWord = stem(n.after.split(/[^a-z]+/)[0] ?? "");
  const prevWord = stem(
    n.before
      .split(/[^a-z]+/)
      .filter(Boolean)
      .at(-1) ?? "",
  );
  const keys = keywords(name, prop);
  if (CURRENCY.test(n.after) || /[£$€]$/.test(n.before))
    return (
      keys.has("amount") ||
      keys.has("price") ||
      keys.has("total") ||
      keys.has("gbp") ||
      keys.has("eur") ||
      keys.has("usd")
    );
  return (nextWord !== "" && keys.has(nextWord)) || (prevWord !== "" && keys.has(prevWord));
}

function keywords(name: string, prop: ParamSchema): Set<string> {
  const words = `${name.replace(/([a-z])([A-Z])/g, "$1 $2")} ${prop.description ?? ""}`
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(
      (w) => w.length > 2 && !["the", "and", "how", "many", "number", "for", "with"].includes(w),
    )
    .map(stem);
  const out = new Set(words);
  for (const w of words) for (const s of SYNONYMS[w] ?? []) out.add(stem(s));
  return out;
}

function stem(word: string): string {
  return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

function fitsNumber(prop: ParamSchema, value: number): boolean {
  return typeOf(prop) !== "integer" || Number.isInteger(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
