import { createRequire } from "node:module";
import { ParleyError } from "@parley/core/pack";
import type { Temporal } from "temporal-polyfill";

let polyfill: typeof Temporal | undefined;

/**
 * The Temporal polyfill, loaded on first use (~35 ms of CPU): loading an agent that uses the clock pack (`agent
 * validate`, a session's start) never pays for it; the first tool call that does date arithmetic does, once.
 */
function temporal(): typeof Temporal {
  polyfill ??= (
    createRequire(import.meta.url)("temporal-polyfill") as { Temporal: typeof Temporal }
  ).Temporal;
  return polyfill;
}

/** Calendar fields of an instant as seen in one time zone. Month is 1-12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

let zoneIndex: Map<string, string> | undefined;
let zoneNames: Set<string> | undefined;

/** Lower-cased "tokyo", "new york", "asia/tokyo" → canonical IANA name. */
function zonesByName(): Map<string, string> {
  if (zoneIndex) return zoneIndex;
  zoneIndex = new Map();
  for (const zone of Intl.supportedValuesOf("timeZone")) {
    zoneIndex.set(zone.toLowerCase(), zone);
    const city = zone.split("/").pop();
    if (city && !zoneIndex.has(city.toLowerCase().replaceAll("_", " "))) {
      zoneIndex.set(city.toLowerCase().replaceAll("_", " "), zone);
    }
  }
  for (const [alias, zone] of Object.entries(ALIASES)) zoneIndex.set(alias, zone);
  return zoneIndex;
}

// Names people say that are not the last segment of an IANA zone.
const ALIASES: Record<string, string> = {
  utc: "UTC",
  gmt: "UTC",
  "san francisco": "America/Los_Angeles",
  seattle: "America/Los_Angeles",
  boston: "America/New_York",
  washington: "America/New_York",
  miami: "America/New_York",
  "washington dc": "America/New_York",
  beijing: "Asia/Shanghai",
  mumbai: "Asia/Kolkata",
  delhi: "Asia/Kolkata",
  "new delhi": "Asia/Kolkata",
  bangalore: "Asia/Kolkata",
  "hong kong": "Asia/Hong_Kong",
  "sao paulo": "America/Sao_Paulo",
  "mexico city": "America/Mexico_City",
};

/**
 * Resolves a time zone as a person or a model says it: an IANA name ("Europe/Paris", any case), a city
 * ("Tokyo", "New York"), or "UTC". Throws `ParleyError("invalid_time_zone")` otherwise.
 */
export function resolveTimeZone(input: string): string {
  // An exact IANA name, as agent files write it, is answered from the runtime's list itself: building the index of
  // cities and lower-cased names costs about as much again, at every cold start that validates a clock option. Only
  // names with a "/": no city or alias key has one, so the index would answer the same.
  const trimmed = input.trim();
  zoneNames ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (trimmed.includes("/") && zoneNames.has(trimmed)) return trimmed;
  const key = trimmed.toLowerCase().replaceAll("_", " ");
  const found = zonesByName().get(key) ?? zonesByName().get(trimmed.toLowerCase());
  if (found) return found;
  try {
    // Intl knows some names supportedValuesOf does not list (e.g. "Etc/GMT+5", legacy links).
    return new Intl.DateTimeFormat("en-US", { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    throw new ParleyError(
      "invalid_time_zone",
      `unknown time zone "${input}": use an IANA name like "Europe/Paris" or a city like "Tokyo"`,
    );
  }
}

// Time-zone arithmetic is Temporal's (the polyfill, with the IANA data of the runtime's Intl): offsets, gaps and
// overlaps, calendar days and months. This file only adds the phrases a model sends ("tomorrow", "3pm").

/** The instant as a ZonedDateTime in `timeZone`. */
export function zoned(instant: number, timeZone: string): Temporal.ZonedDateTime {
  return temporal().Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(timeZone);
}

/** The calendar fields of `instant` in `timeZone`. */
export function wallTime(instant: number, timeZone: string): WallTime {
  const z = zoned(instant, timeZone);
  return {
    year: z.year,
    month: z.month,
    day: z.day,
    hour: z.hour,
    minute: z.minute,
    second: z.second,
  };
}

/** Minutes east of UTC of `timeZone` at `instant` (+60 for Paris in winter). */
export function offsetMinutes(instant: number, timeZone: string): number {
  return Math.round(zoned(instant, timeZone).offsetNanoseconds / 60e9);
}

/**
 * The instant at which the clocks in `timeZone` show `w`. In a spring-forward gap the later offset wins
 * (02:30 on a skipped hour becomes 03:30); in a fall-back overlap the earlier instant wins (Temporal's
 * "compatible" disambiguation, as for Date).
 */
export function zonedToInstant(w: WallTime, timeZone: string): number {
  return temporal().ZonedDateTime.from({ timeZone, ...w }, { disambiguation: "compatible" })
    .epochMilliseconds;
}

/** ISO 8601 with the zone's offset: `2026-11-25T11:15:00+01:00`. */
export function isoInZone(instant: number, timeZone: string): string {
  return zoned(instant, timeZone).toString({ timeZoneName: "never", smallestUnit: "second" });
}

/** The date part (`2026-11-25`) of an instant in a zone. */
export function dateInZone(instant: number, timeZone: string): string {
  return zoned(instant, timeZone).toPlainDate().toString();
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const TIME_ONLY = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i;

/**
 * Parses a moment as a model sends it, relative to `now` in `timeZone`: "now", "today", "tomorrow",
 * "yesterday", an ISO date ("2026-12-24", midnight in the zone), a local date-time ("2026-12-24T18:30"),
 * an ISO instant with offset, or a time of day today ("15:30", "3pm"). Throws `invalid_date` otherwise.
 */
export function parseMoment(input: string, timeZone: string, now: number): number {
  const text = input.trim();
  const lower = text.toLowerCase();
  const today = zoned(now, timeZone).toPlainDate();
  const midnight = (days: number): number =>
    today.add({ days }).toZonedDateTime({ timeZone }).epochMilliseconds; // start of day, even where 00:00 is skipped
  if (lower === "" || lower === "now") return now;
  if (lower === "today") return midnight(0);
  if (lower === "tomorrow") return midnight(1);
  if (lower === "yesterday") return midnight(-1);
  if (ISO_WITH_OFFSET.test(text)) return Date.parse(text);
  const local = LOCAL_DATE_TIME.exec(text);
  if (local) {
    const [, y, mo, d, h, mi, s] = local;
    let w: Temporal.PlainDateTime;
    try {
      w = temporal().PlainDateTime.from(
        {
          year: Number(y),
          month: Number(mo),
          day: Number(d),
          hour: Number(h ?? 0),
          minute: Number(mi ?? 0),
          second: Number(s ?? 0),
        },
        { overflow: "reject" },
      );
    } catch {
      throw new ParleyError("invalid_date", `"${input}" is not a real date`);
    }
    return w.toZonedDateTime(timeZone, { disambiguation: "compatible" }).epochMilliseconds;
  }
  const time = TIME_ONLY.exec(text);
  if (time) {
    let hour = Number(time[1]);
    const minute = Number(time[2] ?? 0);
    const meridiem = time[3]?.toLowerCase();
    if (meridiem === "pm" && hour < 12) hour += 12;
    if (meridiem === "am" && hour === 12) hour = 0;
    if (hour <= 23 && minute <= 59)
      return today
        .toPlainDateTime({ hour, minute })
        .toZonedDateTime(timeZone, { disambiguation: "compatible" }).epochMilliseconds;
  }
  throw new ParleyError(
    "invalid_date",
    `cannot read "${input}" as a date: use "now", "today", "tomorrow", "2026-12-24", "2026-12-24T18:30" or "15:30"`,
  );
}

/** Adds an amount of a unit in `timeZone`: minutes and hours are elapsed time, days and longer calendar time. */
export function addInZone(
  instant: number,
  timeZone: string,
  amount: number,
  unit: "minutes" | "hours" | "days" | "weeks" | "months" | "years",
): number {
  // Temporal's rules: a day keeps the wall clock whatever its length, Jan 31 + 1 month is the month's last day.
  return zoned(instant, timeZone).add({ [unit]: amount }).epochMilliseconds;
}

/** Calendar days from the date of `a` to the date of `b`, both seen in `timeZone` (negative when `b` is earlier). */
export function calendarDaysBetween(a: number, b: number, timeZone: string): number {
  return zoned(a, timeZone)
    .toPlainDate()
    .until(zoned(b, timeZone).toPlainDate(), { largestUnit: "days" }).days;
}
