// The event stream as JSON lines without building the event objects first (what a session log takes): a protocol
// event is written from the frame text the transport already has, a flat payload member by member. Each returns
// undefined when the event must take the ordinary path (build the StreamEvent, JSON.stringify it), which decides.

import { isParleyError } from "../errors/index.ts";
import { isCleanJson } from "../log/redact.ts";
import { numberJson, quoted, redactedJson, redactedMembers } from "../log/redacted-json.ts";
import type { StreamError } from "./event-stream.ts";

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
  const member = frameMember(event, text, field);
  // The audio is left out of the check only where it is cut out of the text (a string).
  const skip = field && typeof event[field] === "string" ? field : undefined;
  return member !== undefined && isCleanJson(event, skip) ? member : undefined;
}

/**
 * protocolMember for an event already found clean (redactChecked on its copy for object listeners): the text's
 * layout only. The caller has checked the very object `text` is the frame of.
 */
export function frameMember(
  event: Record<string, unknown>,
  text: string,
  field = audioField(event.type),
): string | undefined {
  const audio = field ? event[field] : undefined;
  if (typeof audio !== "string") {
    if (text.includes("\n") || text.includes("\r")) return undefined;
    return `{"event":${text}`;
  }
  const json = withoutAudioText(text, field as string, audio);
  return json === undefined ? undefined : `{"event":${json}`;
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
 * The JSON of streamPayload(type, payload) minus its closing brace, written in one pass (redactedMembers: the same
 * text as redacting a copy and serialising it). Undefined when the ordinary path must decide: a payload with a field
 * of the stream's own, or a value that is not plain JSON.
 */
export function payloadMember(type: string, payload: unknown): string | undefined {
  if (type === "client.event" || type === "server.event") {
    if (!payload || typeof payload !== "object") return undefined;
    const json = redactedJson(withoutAudio(payload as Record<string, unknown>));
    return json === undefined ? undefined : `{"event":${json}`;
  }
  if (!payload || typeof payload !== "object") return "{";
  for (const key of META) if (Object.hasOwn(payload, key)) return undefined;
  return redactedMembers(payload, 0, type === "usage" ? usageValue : streamValue);
}

/**
 * A `usage` line leaves out its `usage` (the `response.done` frame's `response.usage`, the line before it) and
 * `tokens` (its counts): the reader makes them again (format 4). Half the longest line a session writes.
 */
function usageValue(key: string, value: unknown): [string, unknown] | undefined {
  if (key === "usage" || key === "tokens") return [key, undefined];
  return streamValue(key, value);
}

/** What streamPayload does to a payload's own fields: bytes become their count, errors StreamError. */
function streamValue(key: string, value: unknown): [string, unknown] | undefined {
  if (value instanceof Uint8Array) return [bytesName(key), value.byteLength];
  if (value instanceof Error) return [key, errorJson(value)];
  return undefined;
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

/** Audio carried as base64 in protocol events, replaced by its size in bytes. */
export function withoutAudio(event: Record<string, unknown>): Record<string, unknown> {
  const field = audioField(event.type);
  if (!field || typeof event[field] !== "string") return event;
  // A plain loop: a rest pattern with a computed key is a slow path in V8, and this runs for every audio chunk.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(event)) if (key !== field) out[key] = event[key];
  out.audioBytes = base64Length(event[field] as string);
  return out;
}

/** An error as the stream carries it. */
export function errorJson(error: Error): StreamError {
  const out: StreamError = { name: error.name, message: error.message };
  if (!isParleyError(error)) return out;
  out.code = error.code;
  const extra = error as unknown as Partial<Record<"type" | "param" | "eventId", string>>;
  if (extra.type !== undefined) out.type = extra.type;
  if (extra.param !== undefined) out.param = extra.param;
  if (extra.eventId !== undefined) out.eventId = extra.eventId;
  return out;
}

/**
 * The stream's own fields and the closing brace: `,"type":…,"at":…,"sessionId":…,"seq":…}`. `head` is
 * `sessionHead(sessionId)`, which the stream keeps.
 */
export function metaTail(
  opened: string,
  type: string,
  at: number,
  head: string,
  seq: number,
): string {
  const sep = opened.length > 1 ? "," : "";
  return `${opened}${sep}${typeHead(type)}${numberJson(at)}${head}${seq}}`;
}

/** `"type":"<type>","at":` per event name (a few dozen). */
const typeHeads = new Map<string, string>();

function typeHead(type: string): string {
  let head = typeHeads.get(type);
  if (head === undefined) {
    head = `"type":${quoted(type)},"at":`;
    if (typeHeads.size < 256) typeHeads.set(type, head);
  }
  return head;
}

/** `,"sessionId":"<id>","seq":`: each stream keeps its own (a session keeps its id but for one rename). */
export function sessionHead(sessionId: string): string {
  return `,"sessionId":${quoted(sessionId)},"seq":`;
}
