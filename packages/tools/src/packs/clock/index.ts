import { z } from "zod";
import { defineToolPack } from "../../pack/define-tool-pack.ts";
import { createClockTools } from "./tools.ts";
import { resolveTimeZone } from "./zoned.ts";

export { type ClockToolsOptions, createClockTools } from "./tools.ts";
export { resolveTimeZone } from "./zoned.ts";

const clockOptions = z
  .object({
    timeZone: z
      .string()
      .refine(
        (zone) => {
          try {
            resolveTimeZone(zone);
            return true;
          } catch {
            return false;
          }
        },
        {
          message: 'unknown time zone: use an IANA name like "Europe/Paris" or a city like "Tokyo"',
        },
      )
      .optional(),
    locale: z.string().optional(),
  })
  .strict();

/**
 * `@parley/tools/clock`: current time, date arithmetic and time-zone conversion, with Intl (no network).
 * Tools: `current_time`, `add_to_date`, `days_between`, `convert_time`.
 *
 * @example
 * // agent.yaml
 * // tools:
 * //   - use: "@parley/tools/clock"
 * //     options: { timeZone: Europe/Paris }
 */
export const clockPack = defineToolPack({
  name: "@parley/tools/clock",
  version: "0.1.0",
  description: "Current time, date arithmetic and time zones (Intl, no network).",
  options: clockOptions,
  tools: (options) => createClockTools(options),
  defaults: { filler: false, approval: "never", timeout: "2s" },
});

export default clockPack;
