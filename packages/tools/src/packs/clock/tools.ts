import { defineTool, type ToolContext } from "@parley/core/pack";
import { z } from "zod";
import {
  addInZone,
  calendarDaysBetween,
  dateInZone,
  isoInZone,
  parseMoment,
  resolveTimeZone,
} from "./zoned.ts";

export interface ClockToolsOptions {
  /** Zone used when a call names none (default: the session variable `timeZone`, then the machine's zone). */
  timeZone?: string;
  /** BCP 47 locale of the `spoken` strings (default "en-US"). */
  locale?: string;
  /** The current instant in ms; injected by tests. */
  now?: () => number;
}

const zoneArg = z
  .string()
  .describe('IANA time zone ("Europe/Paris") or a city ("Tokyo"); omit for the agent\'s own zone')
  .optional();

const units = ["minutes", "hours", "days", "weeks", "months", "years"] as const;

/** The four clock tools; `clockPack` wraps them as `@parley/tools/clock`. */
export function createClockTools(options: ClockToolsOptions = {}) {
  const now = options.now ?? Date.now;
  const locale = options.locale ?? "en-US";

  function zoneFor(requested: string | undefined, ctx: ToolContext): string {
    if (requested) return resolveTimeZone(requested);
    const fromSession = ctx.variables?.timeZone;
    if (options.timeZone) return resolveTimeZone(options.timeZone);
    if (typeof fromSession === "string" && fromSession) return resolveTimeZone(fromSession);
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  // Building an Intl.DateTimeFormat costs about 0.3 ms (it loads locale data); a call costs microseconds. Kept per
  // zone for the life of these tools (the zones an agent is asked about are few).
  const formats = new Map<string, { weekday: Intl.DateTimeFormat; spoken: Intl.DateTimeFormat }>();
  function formatsFor(timeZone: string) {
    let f = formats.get(timeZone);
    if (!f) {
      f = {
        weekday: new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long" }),
        spoken: new Intl.DateTimeFormat(locale, {
          timeZone,
          dateStyle: "full",
          timeStyle: "short",
        }),
      };
      formats.set(timeZone, f);
    }
    return f;
  }

  function describe(instant: number, timeZone: string) {
    const f = formatsFor(timeZone);
    return {
      timeZone,
      iso: isoInZone(instant, timeZone),
      date: dateInZone(instant, timeZone),
      weekday: f.weekday.format(instant),
      spoken: f.spoken.format(instant),
    };
  }

  const currentTime = defineTool({
    name: "current_time",
    description: "The current date and time, in the agent's time zone or in a named zone or city.",
    parameters: z.object({ timeZone: zoneArg }),
    filler: false,
    examples: [
      { say: "what time is it", args: {} },
      { say: "what time is it in Tokyo", args: { timeZone: "Asia/Tokyo" } },
      { say: "what's the date today in New York", args: { timeZone: "America/New_York" } },
    ],
    run({ timeZone }, ctx) {
      return describe(now(), zoneFor(timeZone, ctx));
    },
  });

  const addToDate = defineTool({
    name: "add_to_date",
    description:
      "Date arithmetic: the moment a number of minutes, hours, days, weeks, months or years after (or, with a negative amount, before) a date.",
    parameters: z.object({
      date: z
        .string()
        .describe(
          'Start: "now" (default), "today", "tomorrow", "2026-12-24", "2026-12-24T18:30" or "15:30"',
        )
        .optional(),
      amount: z.number().int().describe("How many units to add; negative goes back in time"),
      unit: z.enum(units),
      timeZone: zoneArg,
    }),
    filler: false,
    examples: [
      { say: "what's the date in three weeks", args: { amount: 3, unit: "weeks" } },
      { say: "what day is 90 days from now", args: { amount: 90, unit: "days" } },
      {
        say: "what was the date two months before christmas",
        args: { date: "2026-12-25", amount: -2, unit: "months" },
      },
    ],
    run({ date, amount, unit, timeZone }, ctx) {
      const zone = zoneFor(timeZone, ctx);
      const start = parseMoment(date ?? "now", zone, now());
      const result = addInZone(start, zone, amount, unit);
      return { from: isoInZone(start, zone), ...describe(result, zone) };
    },
  });

  const daysBetween = defineTool({
    name: "days_between",
    description:
      "How many calendar days from one date to another (negative if the second is earlier).",
    parameters: z.object({
      from: z.string().describe('First date: "today" (default), "2026-12-24", …').optional(),
      to: z.string().describe('Second date: "2026-12-25", "tomorrow", …'),
      timeZone: zoneArg,
    }),
    filler: false,
    examples: [
      { say: "how many days until christmas", args: { to: "2026-12-25" } },
      {
        say: "how many days between March 1st and April 15th",
        args: { from: "2027-03-01", to: "2027-04-15" },
      },
    ],
    run({ from, to, timeZone }, ctx) {
      const zone = zoneFor(timeZone, ctx);
      const a = parseMoment(from ?? "today", zone, now());
      const b = parseMoment(to, zone, now());
      return {
        from: dateInZone(a, zone),
        to: dateInZone(b, zone),
        days: calendarDaysBetween(a, b, zone),
      };
    },
  });

  const convertTime = defineTool({
    name: "convert_time",
    description:
      "Converts a time (today, or on a given date) from one time zone or city to another.",
    parameters: z.object({
      time: z.string().describe('"15:30", "3pm", "2026-12-24T18:30" or "now"'),
      from: zoneArg,
      to: z.string().describe('Target IANA time zone or city, e.g. "America/New_York" or "London"'),
    }),
    filler: false,
    examples: [
      {
        say: "what time is 3pm Paris time in New York",
        args: { time: "3pm", from: "Europe/Paris", to: "America/New_York" },
      },
      {
        say: "if it's 9 in the morning here what time is it in Sydney",
        args: { time: "09:00", to: "Australia/Sydney" },
      },
    ],
    run({ time, from, to }, ctx) {
      const source = zoneFor(from, ctx);
      const target = resolveTimeZone(to);
      const instant = parseMoment(time, source, now());
      return { from: describe(instant, source), to: describe(instant, target) };
    },
  });

  return [currentTime, addToDate, daysBetween, convertTime];
}
