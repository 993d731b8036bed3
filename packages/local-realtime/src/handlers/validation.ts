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
 * Checks a client event against the spec (strictly, as the API refuses unknown parameters) and returns the
 * `error` the API would answer with — code, message and `param` for the first problem — or undefined when valid.
 *
 * @example
 * clientEventError({ type: "session.update", session: { type: "realtime", voice: "x" } })
 * // { code: "unknown_parameter", message: "Unknown parameter: 'session.voice'.", param: "session.voice" }
 */
export function clientEventError(
  event: unknown,
): { code: string; message: string; param: string | null } | undefined {
  const [first] = eventProblems("client", event);
  if (!first) return undefined;
  if (first.path === "type")
    return { code: "invalid_event_type", message: first.message, param: "type" };
  const message =
    first.kind === "unknown_field"
      ? `Unknown parameter: '${first.path}'.`
      : `Invalid '${first.path}': ${first.message.replace(/^[^:]*: /, "")}.`;
  return { code: CODE_BY_KIND[first.kind], message, param: first.path || null };
}
