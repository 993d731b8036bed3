// The event stream as JSON lines without building the event objects first (what a session log takes): a protocol
// event is written from the frame text the transport already has, a flat payload member by member. Each returns
// undefined when the event must take the ordinary path (build the StreamEvent, JSON.stringify it), which decides.

import { isCleanJson, REDACTED, redactString } from "../log/redact.ts";
import { isCardNumber, isSecretKey } from "../log/secret-shapes.ts";

/** Where a protocol event carries base64 audio (written as `audioBytes`, its size): see withoutAudio. */
export function audioField(type: unknown): "audio" | "delta" | undefined {
  return type === "input_audio_buffer.append"
    ? "audio"
    : type === "response.output_audio.delta"
      ? "delta"
      : undefined;
}

/** Bytes in `length` characters of base64 ending as `b64` does. */
export function base64Length(b64: string): number {
  const pad = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

/**
 * The JSON of `{ event: withoutAudio(event) }` minus its closing brace, taken from `text`, the frame `event` was
 * parsed from (or serialised to): when redaction would change nothing in it (isCleanJson: the stream's own check)
 * and the text is one line. Audio is cut out of the text by position, checked against the parsed value, so the
 * base64 is never scanned or copied.
 */
export function protocolMember(event: Record<string, unknown>, text: string): string | undefined {
  const field = audioField(event.type);
  const audio = field ? event[field] : undefined;
  if (typeof audio !== "string") {
    if (text.includes("\n") || text.includes("\r") || !isCleanJson(event)) return undefined;
    return `{"event":${text}`;
  }
  const json = withoutAudioText(text, field as string, audio);
  if (json === undefined || !isCleanJson(event, field)) return undefined;
  return `{"event":${json}`;
}

/**
 * `text` (a flat JSON object) with its `"<field>":"<audio>"` member removed and `"audioBytes":<n>` last, as
 * withoutAudio orders it; undefined for any other layout (nested values, whitespace, escapes in the audio, the key
 * twice), which then takes the ordinary path.
 */
function withoutAudioText(text: string, field: string, audio: string): string | undefined {
  const key = `"${field}":"`;
  const at = text.indexOf(key);
  const start = at + key.length;
  const end = start + audio.length;
  // The closing quote right where the parsed value's length puts it, not escaped: the raw value has no escapes, so
  // it is `audio` itself (comparing 6 KB of base64 would cost more than the rest of the line).
  if (at < 0 || text.charCodeAt(end) !== 34 || (end > start && text.charCodeAt(end - 1) === 92))
    return undefined;
  const head = text.slice(0, at);
  const tail = text.slice(end + 1);
  // Flat and on one line: the member found is the top-level one, and nothing else moves.
  if (text.charCodeAt(0) !== 123 || /[{[\n\r]/.test(head.slice(1)) || /[{[\n\r]/.test(tail))
    return undefined;
  if (tail.includes(key) || !tail.endsWith("}")) return undefined;
  const bytes = `"audioBytes":${base64Length(audio)}}`;
  if (tail === "}") return head + bytes;
  if (tail.charCodeAt(0) !== 44) return undefined;
  return `${head}${tail.slice(1, -1)},${bytes}`;
}

/** Fields the stream sets itself: a payload holding one keeps its place in the object (the ordinary path). */
const META = new Set(["type", "at", "sessionId", "seq"]);

/**
 * The JSON of streamPayload(type, payload) minus its closing brace, for a flat payload (strings, numbers, booleans,
 * null, bytes): redacted as `redact` does it (secret keys, card numbers, redactString on every string, whose
 * verdicts on short strings are kept), written member by member from kept fragments (JSON.stringify of a small
 * object costs several times more). Undefined for anything nested, an error, or a payload with a field of the
 * stream's own (the ordinary path then decides).
 */
export function flatPayloadMember(payload: object): string | undefined {
  let out = "{";
  for (const key of Object.keys(payload)) {
    let value = (payload as Record<string, unknown>)[key];
    let name = key;
    if (value === undefined || typeof value === "function" || typeof value === "symbol") continue;
    if (META.has(key)) return undefined;
    if (value instanceof Uint8Array) {
      name = bytesName(key);
      value = value.byteLength;
    }
    let json: string;
    if (typeof value === "string")
      json = quoted(value !== "" && isSecretKey(name) ? REDACTED : redactString(value));
    else if (typeof value === "number")
      json = isSecretKey(name) || isCardInteger(value) ? REDACTED_JSON : numberJson(value);
    else if (value === null) json = "null";
    else if (typeof value === "boolean") json = value ? "true" : "false";
    else return undefined;
    out += out.length > 1 ? `,${quoted(name)}:${json}` : `${quoted(name)}:${json}`;
  }
  return out;
}

const REDACTED_JSON = JSON.stringify(REDACTED);

function numberJson(value: number): string {
  return Number.isFinite(value) ? `${value}` : "null";
}

/** `audio` → `audioBytes`, the same string each time. */
const bytesNames = new Map<string, string>();

function bytesName(key: string): string {
  let name = bytesNames.get(key);
  if (name === undefined) {
    name = `${key}Bytes`;
    if (bytesNames.size < 256) bytesNames.set(key, name);
  }
  return name;
}

function isCardInteger(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) >= 1e12 && isCardNumber(String(value));
}

/** The stream's own fields and the closing brace: `,"type":…,"at":…,"sessionId":…,"seq":…}`. */
export function metaTail(
  opened: string,
  type: string,
  at: number,
  sessionId: string,
  seq: number,
): string {
  const sep = opened.length > 1 ? "," : "";
  return `${opened}${sep}"type":${quoted(type)},"at":${numberJson(at)},"sessionId":${quoted(sessionId)},"seq":${seq}}`;
}

/**
 * A string as JSON. Names, types, ids and kinds repeat on every event of a response: the short ones are kept (the
 * same string object then hashes once), emptied when full. Text already redacted only: this holds no verdict.
 */
const quotes = new Map<string, string>();

function quoted(text: string): string {
  if (text.length > 64) return JSON.stringify(text);
  let json = quotes.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (quotes.size >= 4096) quotes.clear();
    quotes.set(text, json);
  }
  return json;
}
