import { ParleyError } from "../errors/index.ts";
import { DURATION_HINT, parseDuration } from "../schema/duration.ts";
import type { DurationInput } from "./define-tool.ts";

/**
 * Milliseconds from a duration in tool options (a number of ms, or "300ms", "1.5s", "2m"): agent files are parsed by
 * the schema already, tools defined in code are parsed here, with the same rules.
 *
 * @example
 * toMs("1.5s") // 1500
 */
export function toMs(value: DurationInput, field = "duration"): number {
  const ms = parseDuration(value);
  if (ms === undefined)
    throw new ParleyError(
      "invalid_duration",
      `${field}: ${JSON.stringify(value)} is not ${DURATION_HINT}`,
    );
  return ms;
}
