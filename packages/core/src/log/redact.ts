import { isCardInteger, isSecretKey, maskSecrets, mayHoldSecret } from "./secret-shapes.ts";

export const REDACTED = "[redacted]";

/** How much of an error message a model or a person is shown; the rest is cut (a 100 KB MCP error is noise). */
export const MAX_MESSAGE_CHARS = 2000;

/** Known secret values shorter than this are not masked by value: a 1–3 character value would shred the output. */
const MIN_KNOWN_VALUE = 4;

/**
 * Masks credentials inside a string: bearer/basic tokens in any case, API keys (`sk-…`, `sk_live_…`, `AKIA…`,
 * `ghp_…`), JWTs, `token=…`/`"password": "…"` pairs, URL passwords, PEM private keys, card numbers (Luhn), and
 * every occurrence of `known` values (what `${env:…}` put into an agent's config, whatever its shape).
 */
export function redactString(text: string, known: readonly string[] = []): string {
  // Event streams repeat strings: short ones (types, ids, words) on every event, and a whole answer's transcript in
  // four or five events of its response (the transcript's `.done`, its part, its item, the response, the
  // conversation's item). Their verdict is kept, while the known secrets stay the same: looking a string up costs
  // far less than the shape scans.
  const cache =
    known.length !== 0
      ? undefined
      : text.length <= MAX_CACHED_CHARS
        ? shortVerdicts
        : text.length <= MAX_LONG_CHARS
          ? longVerdicts
          : undefined;
  if (cache) {
    const seen = cache.get(text);
    if (seen !== undefined) return seen;
  }
  let out = text;
  for (const value of known)
    if (value.length >= MIN_KNOWN_VALUE) out = out.replaceAll(value, REDACTED);
  for (const value of envSecrets) out = out.replaceAll(value, REDACTED);
  out = maskSecrets(out, REDACTED);
  if (cache) {
    if (cache.size >= (cache === shortVerdicts ? MAX_CACHED : MAX_LONG)) cache.clear();
    cache.set(text, out);
  }
  return out;
}

/** Short strings already redacted → their redacted form; cleared when a new env secret is remembered. */
const shortVerdicts = new Map<string, string>();
/** The same for longer text (transcripts, arguments): fewer, bounded in length (at most ~1 MB held). */
const longVerdicts = new Map<string, string>();
const MAX_LONG = 256;
const MAX_LONG_CHARS = 2048;
/** Short strings → their redacted form as JSON text (what a session log writes); cleared with shortVerdicts. */
const shortJson = new Map<string, string>();

/**
 * `JSON.stringify(redactString(text))`. A session log writes the same ids, types and kinds on every event: a short
 * string's JSON is kept with its verdict, so that writing it is one lookup.
 */
export function redactedQuote(text: string): string {
  if (text.length > MAX_CACHED_CHARS) return JSON.stringify(redactString(text));
  let json = shortJson.get(text);
  if (json === undefined) {
    json = JSON.stringify(redactString(text));
    if (shortJson.size >= MAX_CACHED) shortJson.clear();
    shortJson.set(text, json);
  }
  return json;
}
const MAX_CACHED = 8192;
const MAX_CACHED_CHARS = 64;

/** Values agent files read with `${env:…}` in this process, longest first; masked by every redaction. */
let envSecrets: string[] = [];
const MAX_ENV_SECRETS = 1000;

/**
 * Remembers a value an agent file read from the environment: from then on every redaction in the process (logs,
 * audit lines, errors to the model, webhook payloads) masks it, whatever its shape. The loader calls it for each
 * `${env:NAME}` it fills in. Values shorter than 4 characters are ignored (they would shred the output).
 */
export function rememberEnvSecret(value: string): void {
  if (value.length < MIN_KNOWN_VALUE || envSecrets.includes(value)) return;
  if (envSecrets.length >= MAX_ENV_SECRETS) return;
  envSecrets = [...envSecrets, value].sort((a, b) => b.length - a.length);
  shortVerdicts.clear(); // a string redacted before may hold this value
  longVerdicts.clear();
  shortJson.clear();
}

/**
 * A message fit to leave the process (an error told to the model, a warning on the terminal): redacted, one
 * paragraph at most `max` characters long.
 *
 * @example
 * redactMessage(`MCP error: ${hugeText} Bearer abc…`) // "MCP error: … [redacted] …(98000 more characters)"
 */
export function redactMessage(
  text: string,
  max = MAX_MESSAGE_CHARS,
  known: readonly string[] = [],
): string {
  // Cap first (bounded work on huge input), then redact; a secret cut in half at the edge is masked by its shape or dropped.
  const head = text.length > max + 200 ? text.slice(0, max + 200) : text;
  const clean = redactString(head, known);
  if (clean.length <= max && head.length === text.length) return clean;
  return `${clean.slice(0, max)}…(${text.length - max} more characters)`;
}

/**
 * A deep copy of `value` with secrets removed: values under secret-looking keys (see secret-shapes.ts: `api_key`,
 * `X-Access-Key`, `private_key`, `pin`, `cvv`, `card_number`, `pwd`, …) become `[redacted]`, numbers that are card
 * numbers too, and credential-shaped substrings anywhere are masked. The one module used for everything shown to a
 * person, written to disk or sent out: compiled output, logs, audit lines, webhook payloads, errors sent to the model.
 * `options.values`: known secret values to mask wherever they appear (longest first).
 *
 * @example
 * redact({ headers: { authorization: "Bearer sk-abc…" } }) // { headers: { authorization: "[redacted]" } }
 */
export function redact<T>(value: T, options: { values?: readonly string[] } = {}): T {
  const known = [...(options.values ?? [])].sort((a, b) => b.length - a.length);
  return walk(value, new WeakSet(), known) as T;
}

/**
 * The same result as `redact(value)`, cheaper when nothing needs masking (most events of a session): one copy that
 * checks keys as it goes and collects the strings, then one check of all of them together (see mayHoldSecret)
 * instead of every pass on each string. Anything else (a secret key, a card-like number, an error, a class instance,
 * text that may hold a secret) gets the full walk.
 */
export function redactQuick<T>(value: T): T {
  return redactChecked(value).value;
}

/**
 * redactQuick, and whether redaction changed nothing (`clean`: the copy equals `value`, so text `value` was parsed
 * from or serialised to can be written as it is).
 */
export function redactChecked<T>(value: T): { value: T; clean: boolean } {
  const strings: string[] = [];
  const out = copyClean(value, new WeakSet(), strings);
  if (out === DIRTY || mayHoldSecret(strings.join("\n"), envSecrets))
    return { value: redact(value), clean: false };
  return { value: out as T, clean: true };
}

/**
 * True when `redact(value)` would change nothing in `value`: redactQuick's own check (keys as it goes, every string
 * in one combined check, card-like numbers), without the copy. For a value parsed from or serialised to JSON text,
 * which can then be written as that text. `skip`: a top-level key left out (audio, written as its size).
 */
export function isCleanJson(value: Record<string, unknown>, skip?: string): boolean {
  const strings: string[] = [];
  if (!collectClean(value, strings, skip)) return false;
  return strings.length === 0 || !mayHoldSecret(strings.join("\n"), envSecrets);
}

/**
 * copyClean's checks without the copy, for JSON values (no cycles: JSON text cannot hold one). Strings up to 2,048
 * characters are judged by redactString itself, whose verdicts are kept (ids and types repeat on every event of a
 * response, a transcript in four or five of them); longer ones are collected for one combined check.
 */
function collectClean(value: unknown, strings: string[], skip?: string): boolean {
  if (typeof value === "string") {
    if (value.length > MAX_LONG_CHARS) strings.push(value);
    else if (redactString(value) !== value) return false;
    return true;
  }
  if (typeof value === "number") return !isCardInteger(value);
  if (!value || typeof value !== "object") return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!collectClean(value[i], strings)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  // for…in, not Object.keys: no array of keys per object (~15 % of the walk of a frame's fresh parse). A plain
  // object's own keys, in the same order; an enumerable key someone put on Object.prototype would only be checked
  // too (a false "not clean" sends the event the ordinary way, which decides).
  for (const key in value) {
    if (key === skip) continue;
    const inner = (value as Record<string, unknown>)[key];
    if (inner != null && inner !== "" && typeof inner !== "boolean" && isSecretKey(key))
      return false;
    // An event's own id is new on every event: judged without keeping its verdict. Kept, each one cost ~1 µs (an
    // entry added, then the table emptied when full, the strings that do repeat with it) and was never looked up.
    if (key === "event_id" && typeof inner === "string") {
      if (mayHoldSecret(inner, envSecrets)) return false;
      continue;
    }
    if (!collectClean(inner, strings)) return false;
  }
  return true;
}

const DIRTY = Symbol("needs the full walk");

/** walk() without masking, for a value that turns out clean; DIRTY as soon as it may not be. */
function copyClean(value: unknown, seen: WeakSet<object>, strings: string[]): unknown {
  if (typeof value === "string") {
    strings.push(value);
    return value;
  }
  if (typeof value === "number") return isCardInteger(value) ? DIRTY : value;
  if (!value || typeof value !== "object") return value;
  // An error's message, a URL, a class's fields: not worth a fast path (rare in events).
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && !Array.isArray(value)) return DIRTY;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        const inner = copyClean(value[i], seen, strings);
        if (inner === DIRTY) return DIRTY;
        out[i] = inner;
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner != null && inner !== "" && typeof inner !== "boolean" && isSecretKey(key))
        return DIRTY;
      const copied = copyClean(inner, seen, strings);
      if (copied === DIRTY) return DIRTY;
      out[key] = copied;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function walk(value: unknown, seen: WeakSet<object>, known: readonly string[]): unknown {
  if (typeof value === "string") return redactString(value, known);
  if (typeof value === "number" && isCardInteger(value)) return REDACTED;
  if (!value || typeof value !== "object") return value;
  if (value instanceof URL) return redactString(value.href, known);
  if (value instanceof Error) return redactString(value.message, known);
  // `seen` holds the objects on the path from the root: a cycle ends here, a shared (non-cyclic) object does not.
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => walk(v, seen, known));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      // Flags (`hasToken: true`) and empty values hide nothing.
      const hides = inner != null && inner !== "" && typeof inner !== "boolean";
      out[key] = hides && isSecretKey(key) ? REDACTED : walk(inner, seen, known);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
