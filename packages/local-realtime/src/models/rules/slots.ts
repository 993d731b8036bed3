/**
 * Slots: the values in an utterance that vary between otherwise similar requests — numbers, times, dates and
 * capitalized names. Matching compares utterances with slots replaced by their kind; filling carries the user's
 * slot values into an example's arguments.
 */
import { NUMBER_WORDS } from "./numbers.ts";

export type SlotKind = "number" | "time" | "date" | "name";

export interface Slot {
  kind: SlotKind;
  /** The text as written. */
  text: string;
  /** number → the number; time → minutes after midnight; date → ISO or lower-cased word; name → as written. */
  value: number | string;
}

const DATE_WORDS = [
  "today",
  "tomorrow",
  "tonight",
  "yesterday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
];
const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
// Capitalized words that are not names (sentence starts are skipped separately).
const NOT_NAMES = new Set([
  "I",
  "I'm",
  "I'd",
  "I'll",
  "OK",
  "Okay",
  "Please",
  "Hi",
  "Hello",
  "Hey",
  "Thanks",
  "Can",
  "Could",
  "What",
  "When",
  "Where",
  "How",
  "Is",
  "Are",
  "Do",
  "The",
  "A",
]);

interface Pattern {
  kind: SlotKind;
  re: RegExp;
  value: (m: RegExpExecArray) => number | string;
}

const PATTERNS: Pattern[] = [
  { kind: "date", re: /\b\d{4}-\d{2}-\d{2}\b/g, value: (m) => m[0] },
  {
    kind: "date",
    re: new RegExp(`\\b(${MONTHS.join("|")})\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, "gi"),
    value: (m) => `${(m[1] as string).toLowerCase()} ${Number(m[2])}`,
  },
  {
    kind: "date",
    re: new RegExp(`\\b(${DATE_WORDS.join("|")})\\b`, "gi"),
    value: (m) => m[0].toLowerCase(),
  },
  {
    kind: "time",
    re: /\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b/gi,
    value: (m) =>
      ((Number(m[1]) % 12) + ((m[3] as string).toLowerCase() === "pm" ? 12 : 0)) * 60 +
      Number(m[2] ?? 0),
  },
  {
    kind: "time",
    re: /\b([01]?\d|2[0-3]):([0-5]\d)\b/g,
    value: (m) => Number(m[1]) * 60 + Number(m[2]),
  },
  { kind: "number", re: /\b\d+(?:\.\d+)?\b/g, value: (m) => Number(m[0]) },
  {
    kind: "number",
    re: new RegExp(`\\b(${Object.keys(NUMBER_WORDS).join("|")})\\b`, "gi"),
    value: (m) => NUMBER_WORDS[m[0].toLowerCase()] as number,
  },
];

/** Finds the slots of an utterance, in order of appearance, and the utterance with each slot replaced by `<kind>`. */
export function extractSlots(utterance: string): { slots: Slot[]; masked: string } {
  const taken: Array<{ start: number; end: number; slot: Slot }> = [];
  const overlaps = (s: number, e: number) => taken.some((t) => s < t.end && e > t.start);
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(utterance); m; m = p.re.exec(utterance)) {
      if (overlaps(m.index, m.index + m[0].length)) continue;
      taken.push({
        start: m.index,
        end: m.index + m[0].length,
        slot: { kind: p.kind, text: m[0], value: p.value(m) },
      });
    }
  }
  const nameRe = /\b[A-Z][a-z]+(?:['-][A-Za-z]+)?\b/g;
  for (let m = nameRe.exec(utterance); m; m = nameRe.exec(utterance)) {
    const before = utterance.slice(0, m.index).trimEnd();
    const sentenceStart = before === "" || /[.!?]$/.test(before);
    if (sentenceStart || NOT_NAMES.has(m[0]) || overlaps(m.index, m.index + m[0].length)) continue;
    if (MONTHS.includes(m[0].toLowerCase()) || DATE_WORDS.includes(m[0].toLowerCase())) continue;
    taken.push({
      start: m.index,
      end: m.index + m[0].length,
      slot: { kind: "name", text: m[0], value: m[0] },
    });
  }
  taken.sort((a, b) => a.start - b.start);
  let masked = "";
  let at = 0;
  for (const t of taken) {
    masked += `${utterance.slice(at, t.start)} <${t.slot.kind}> `;
    at = t.end;
  }
  masked += utterance.slice(at);
  return { slots: taken.map((t) => t.slot), masked };
}

function renderTime(minutes: number, like: string): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (/am|pm/i.test(like)) {
    const suffix = /AM|PM/.test(like) ? (h >= 12 ? "PM" : "AM") : h >= 12 ? "pm" : "am";
    const h12 = h % 12 === 0 ? 12 : h % 12;
    return `${h12}${m || /:/.test(like) ? `:${String(m).padStart(2, "0")}` : ""}${/\s(am|pm)/i.test(like) ? " " : ""}${suffix}`;
  }
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

function parseTime(text: string): number | undefined {
  const { slots } = extractSlots(text);
  return slots.length === 1 && slots[0]?.kind === "time" && slots[0].text.trim() === text.trim()
    ? (slots[0].value as number)
    : undefined;
}

/**
 * Replaces, in an example's arguments, each value that came from one of the example's slots with the user's slot
 * of the same kind and position. Values that came from nowhere in the example utterance stay as they are.
 *
 * @example
 * fillSlots({ nights: 2 }, extractSlots("two nights").slots, extractSlots("3 nights").slots) // { nights: 3 }
 */
export function fillSlots(args: unknown, exampleSlots: Slot[], userSlots: Slot[]): unknown {
  const ofKind = (slots: Slot[], kind: SlotKind) => slots.filter((s) => s.kind === kind);
  const replace = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    }
    for (const kind of ["number", "time", "date", "name"] as const) {
      const ex = ofKind(exampleSlots, kind);
      const us = ofKind(userSlots, kind);
      const index = ex.findIndex((s) => matchesSlot(value, s));
      if (index < 0) continue;
      const user = us[index] ?? (us.length === 1 && ex.length === 1 ? us[0] : undefined);
      if (!user) return value;
      return renderLike(value, user);
    }
    return value;
  };
  return replace(args);
}

function matchesSlot(value: unknown, slot: Slot): boolean {
  switch (slot.kind) {
    case "number":
      return (
        (typeof value === "number" && value === slot.value) ||
        (typeof value === "string" && value.trim() !== "" && Number(value) === slot.value)
      );
    case "time":
      return typeof value === "string" && parseTime(value) === slot.value;
    case "date":
      return typeof value === "string" && value.toLowerCase() === String(slot.value);
    case "name":
      return typeof value === "string" && value.toLowerCase() === String(slot.value).toLowerCase();
  }
}

function renderLike(original: unknown, user: Slot): unknown {
  switch (user.kind) {
    case "number":
      return typeof original === "number" ? user.value : String(user.value);
    case "time":
      return renderTime(user.value as number, String(original));
    case "date":
      // Relative words ("tomorrow") are passed on as said: the simulator has no calendar to resolve them.
      return user.text;
    case "name":
      return user.value;
  }
}
