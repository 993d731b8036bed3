/**
 * Values the spec's schema lets through but the API refuses: an unknown voice name, two output modalities, a token
 * limit outside 1–4096, audio that is not base64. Each check returns the `error` the API answers with (code, message,
 * param) or undefined. Codes and messages are the API's where we found them observed; see docs/local-realtime.md
 * ("Errors for values the schema allows") for which are confirmed and which are inferred.
 */

import { listOf } from "./validation.ts";

type Json = Record<string, unknown>;

export interface ValueError {
  code: string;
  message: string;
  param: string;
}

/** The built-in Realtime voices (the spec's description of `audio.output.voice`). */
export const REALTIME_VOICES = [
  "alloy",
  "ash",
  "ballad",
  "coral",
  "echo",
  "sage",
  "shimmer",
  "verse",
  "marin",
  "cedar",
] as const;

export const MAX_OUTPUT_TOKENS = 4096;

/**
 * Checks the fields of a `session.update`'s `session` (prefix `session`) or a `response.create`'s `response`
 * (prefix `response`) that the schema cannot.
 *
 * @example
 * configValueError({ audio: { output: { voice: "robot" } } }, "session")
 * // { code: "invalid_value", param: "session.audio.output.voice", message: "Invalid value: 'robot'. Supported values are: …" }
 */
export function configValueError(config: Json, prefix: string): ValueError | undefined {
  const voice = (config.audio as { output?: { voice?: unknown } } | undefined)?.output?.voice;
  // A custom voice is an object `{ id }`: only names are checked.
  if (typeof voice === "string" && !(REALTIME_VOICES as readonly string[]).includes(voice)) {
    return {
      code: "invalid_value",
      message: `Invalid value: '${voice}'. Supported values are: ${listOf(REALTIME_VOICES)}.`,
      param: `${prefix}.audio.output.voice`,
    };
  }
  const modalities = config.output_modalities;
  if (Array.isArray(modalities) && modalities.length > 1) {
    return {
      code: "array_above_max_length",
      message: `Invalid '${prefix}.output_modalities': array too long. Expected an array with maximum length 1, but got an array with length ${modalities.length} instead.`,
      param: `${prefix}.output_modalities`,
    };
  }
  const max = config.max_output_tokens;
  if (typeof max === "number" && max > MAX_OUTPUT_TOKENS) {
    return {
      code: "integer_above_max_value",
      message: `Invalid '${prefix}.max_output_tokens': integer above maximum value. Expected a value <= ${MAX_OUTPUT_TOKENS}, but got ${max} instead.`,
      param: `${prefix}.max_output_tokens`,
    };
  }
  if (typeof max === "number" && max < 1) {
    return {
      code: "integer_below_min_value",
      message: `Invalid '${prefix}.max_output_tokens': integer below minimum value. Expected a value >= 1, but got ${max} instead.`,
      param: `${prefix}.max_output_tokens`,
    };
  }
  return undefined;
}

/**
 * Standard base64: groups of four alphabet characters, the last one padded with at most two `=`. Checked by one
 * character-class scan plus the length and padding (a regex with a repeated group backtracks on megabytes of
 * audio and overflows the regex engine's stack).
 */
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

function isBase64(text: string): boolean {
  if (text.length % 4 !== 0 || !BASE64_BODY.test(text)) return false;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return padding === 0 || text.length - padding >= 2;
}

/**
 * `input_audio_buffer.append`'s `audio` must be standard base64 (Node's decoder would silently skip bad characters).
 *
 * @example
 * audioValueError("not base64!", "audio/pcm") // { code: "invalid_value", param: "audio", … }
 */
export function audioValueError(audio: string, format: string): ValueError | undefined {
  if (isBase64(audio)) return undefined;
  const what =
    format === "audio/pcmu"
      ? "G.711 μ-law at 8kHz"
      : format === "audio/pcma"
        ? "G.711 A-law at 8kHz"
        : "mono PCM16 at 24kHz";
  return {
    code: "invalid_value",
    message: `Invalid 'audio'. Expected base64-encoded audio bytes (${what}) but got an invalid value.`,
    param: "audio",
  };
}
