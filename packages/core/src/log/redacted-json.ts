// JSON.stringify(redact(value)) in one pass for plain JSON values, without the copy: what a session log writes for
// each event. Small objects cost several times more through JSON.stringify than through kept fragments here.

import { REDACTED, redactedQuote } from "./redact.ts";
import { isCardInteger, isSecretKey } from "./secret-shapes.ts";

/** Deeper than this is left to redact (which also ends cycles). */
const MAX_DEPTH = 24;

/**
 * `JSON.stringify(redact(value))`, the same text, for a value made of plain objects, arrays, strings, numbers,
 * booleans and null; undefined for anything else (a class instance, an error, a URL, a bigint, a `toJSON`, depth
 * over 24), which the caller then gives to `redact` and JSON.stringify.
 */
export function redactedJson(value: unknown, depth = 0): string | undefined {
  if (typeof value === "string") return redactedQuote(value);
  if (typeof value === "number") return isCardInteger(value) ? REDACTED_JSON : numberJson(value);
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value !== "object" || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const inner: unknown = value[i];
      // redact maps them to undefined, which JSON writes as null in an array.
      const json = skipped(inner) ? "null" : redactedJson(inner, depth + 1);
      if (json === undefined) return undefined;
      out += i ? `,${json}` : json;
    }
    return `${out}]`;
  }
  const members = redactedMembers(value, depth);
  return members === undefined ? undefined : `${members}}`;
}

/**
 * An object's redacted JSON without its closing brace (`{"a":1`), so that more members can follow; undefined as
 * redactedJson. `rename` turns a member into another before it is judged (bytes into their count).
 */
export function redactedMembers(
  value: object,
  depth = 0,
  rename?: (key: string, inner: unknown) => [string, unknown] | undefined,
): string | undefined {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
  let out = "{";
  for (const key of Object.keys(value)) {
    let name = key;
    let inner: unknown = (value as Record<string, unknown>)[key];
    const renamed = rename?.(key, inner);
    if (renamed) [name, inner] = renamed;
    const head = memberHead(name);
    // Flags (`hasToken: true`) and empty values hide nothing (as in redact).
    const hides = inner != null && inner !== "" && typeof inner !== "boolean";
    let json: string | undefined = REDACTED_JSON;
    if (!hides || !head.secret) {
      if (skipped(inner)) continue;
      json = redactedJson(inner, depth + 1);
      if (json === undefined) return undefined;
    }
    out += out.length > 1 ? `,${head.json}${json}` : `${head.json}${json}`;
  }
  return out;
}

/** A key's `"name":` and whether it names a secret, judged once: every event of a kind has the same keys. Bounded. */
const heads = new Map<string, { json: string; secret: boolean }>();

function memberHead(key: string): { json: string; secret: boolean } {
  let head = heads.get(key);
  if (head === undefined) {
    head = { json: `${JSON.stringify(key)}:`, secret: isSecretKey(key) };
    if (heads.size >= MAX_QUOTED) heads.clear();
    heads.set(key, head);
  }
  return head;
}

/** What JSON leaves out of an object (and writes as null in an array). */
function skipped(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

const REDACTED_JSON = JSON.stringify(REDACTED);

/**
 * A number as JSON writes it. A time on a session's stream (ms, rounded to the µs: see streamTime) is written from
 * two integers and a table: printing a fraction the general way costs 300–700 ns, on every line of a session log.
 */
export function numberJson(value: number): string {
  if (value >= 0 && value < MAX_WHOLE) {
    const micros = Math.round(value * 1000);
    // Exactly the double nearest micros / 1000, so that decimal is its shortest form (what `${value}` prints).
    if (micros / 1000 === value) {
      const whole = Math.floor(value);
      const fraction = micros - whole * 1000;
      return fraction === 0 ? `${whole}` : `${whole}.${FRACTIONS[fraction]}`;
    }
  }
  return Number.isFinite(value) ? `${value}` : "null";
}

/** Below 2³¹ the whole part prints as a small integer (and micros stay exact). */
const MAX_WHOLE = 2 ** 31;
/** 0.001 … 0.999 after the point, trailing zeros cut ("5" for 500, "05" for 50, "005" for 5). */
const FRACTIONS = Array.from({ length: 1000 }, (_, i) =>
  String(i).padStart(3, "0").replace(/0+$/, ""),
);

/**
 * A clock reading as the stream stamps it: rounded to the µs (plenty for a session's timeline), which numberJson
 * prints without the general double-to-text conversion.
 */
export function streamTime(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * A string as JSON. Names, types, ids and kinds repeat on every event: the short ones are kept (the same string
 * object then hashes once), emptied when full. Text already redacted only: this holds no verdict.
 */
const quotes = new Map<string, string>();
const MAX_QUOTED = 4096;

export function quoted(text: string): string {
  if (text.length > 64) return JSON.stringify(text);
  let json = quotes.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (quotes.size >= MAX_QUOTED) quotes.clear();
    quotes.set(text, json);
  }
  return json;
}
