import type { Problem } from "../conformance/format-errors.ts";
import { eventProblems } from "../conformance/validate.ts";

/** Maps a validation problem to the API's error code. */
const CODE_BY_KIND = {
  unknown_field: "unknown_parameter",
  missing_field: "missing_required_parameter",
  invalid_value: "invalid_value",
  invalid_type: "invalid_type",
  invalid: "invalid_value",
} as const;

/**
 * The client event types the API lists when it refuses an unknown `type` (recorded live, in its order; the
 * WebRTC-only `output_audio_buffer.clear` is not among them over WebSocket).
 */
export const API_CLIENT_EVENT_TYPES = [
  "session.update",
  "session.close",
  "input_audio_buffer.append",
  "session.input_audio_buffer.append",
  "input_audio_buffer.commit",
  "input_audio_buffer.clear",
  "conversation.item.create",
  "conversation.item.truncate",
  "conversation.item.delete",
  "conversation.item.retrieve",
  "response.create",
  "response.cancel",
] as const;

export interface ClientEventError {
  code: string;
  message: string;
  param: string | null;
}

/**
 * Checks a client event against the spec (strictly, as the API refuses unknown parameters) and returns the
 * `error` the API would answer with — code, message and `param` for the first problem, worded like the API's —
 * or undefined when valid.
 *
 * @example
 * clientEventError({ type: "session.update", session: { type: "realtime", voice: "x" } })
 * // { code: "unknown_parameter", message: "Unknown parameter: 'session.voice'.", param: "session.voice" }
 * clientEventError({ type: "nope" })
 * // { code: "invalid_value", message: "Invalid value: 'nope'. Supported values are: 'session.update', …", param: "type" }
 */
export function clientEventError(event: unknown): ClientEventError | undefined {
  const [first] = eventProblems("client", event);
  if (!first) return undefined;
  if (first.path === "type") {
    const type = (event as { type?: unknown }).type;
    if (type === undefined)
      return {
        code: "missing_required_parameter",
        message: "Missing required parameter: 'type'.",
        param: "type",
      };
    if (typeof type !== "string") return typeError({ ...first, expected: "string", actual: type });
    return {
      code: "invalid_value",
      message: `Invalid value: '${type}'. Supported values are: ${listOf(API_CLIENT_EVENT_TYPES)}.`,
      param: "type",
    };
  }
  if (first.kind === "invalid_type" && first.expected) return typeError(first);
  return { code: CODE_BY_KIND[first.kind], message: apiMessage(first), param: first.path || null };
}

function apiMessage(p: Problem): string {
  switch (p.kind) {
    case "unknown_field":
      return `Unknown parameter: '${p.path}'.`;
    case "missing_field":
      return `Missing required parameter: '${p.path}'.`;
    case "invalid_value":
      if (p.allowed)
        return `Invalid value: '${String(p.actual)}'. Supported values are: ${listOf(p.allowed.map(String))}.`;
      return `Invalid '${p.path}': ${p.message.replace(/^[^:]*: /, "")}.`;
    default:
      return `Invalid '${p.path}': ${p.message.replace(/^[^:]*: /, "")}.`;
  }
}

function typeError(p: Problem): ClientEventError {
  return {
    code: "invalid_type",
    message: `Invalid type for '${p.path}': expected ${article(p.expected ?? "object")}, but got ${article(jsonType(p.actual))} instead.`,
    param: p.path,
  };
}

/** The API's names for JSON types: a decimal for a non-integer number. */
function article(type: string): string {
  const name = type === "number" ? "decimal" : type;
  if (name === "null") return "null";
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** 'a', 'b', and 'c' — the API's way of listing supported values. */
export function listOf(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  if (quoted.length < 2) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")}, and ${quoted.at(-1)}`;
}
