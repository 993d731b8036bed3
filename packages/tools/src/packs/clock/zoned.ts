import { ParleyError } from "@parley/core";

/** Calendar fields of an instant as seen in one time zone. Month is 1-12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

let zoneIndex: Map<string, string> | undefined;

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
  const key = input.trim().toLowerCase().replaceAll("_", " ");
  const found = zonesByName().get(key) ?? zonesByName().get(input.trim().toLowerCase());
  if (found) return found;
  try {
    // Intl knows some names supportedValuesOf does not list (e.g. "Etc/GMT+5", legacy links).
    return new Intl.DateTimeFormat("en-US", { timeZone: input.trim() }).resolvedOptions().timeZone;
  } catch {
    throw new ParleyError(
      "invalid_time_zone",
      `unknown time zone "${input}": use an IANA name like "Europe/Paris" or a city like "Tokyo"`,
    );
  }
}

/** The calendar fields of `instant` in `timeZone`. */
export function wallTime(instant: number, timeZone: string): WallTime {
  const out: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") out[part.type] = Number(part.value);
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

function wallToUtcMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** Minutes east of UTC of `timeZone` at `instant` (+60 for Paris in winter). */
export function offsetMinutes(instant: number, timeZone: string): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  return Math.round((wallToUtcMs(wallTime(seconds, timeZone)) - seconds) / 60_000);
}

/**
 * The instant at which the clocks in `timeZone` show `w`. In a spring-forward gap the later offset wins
 * (02:30 on a skipped hour becomes 03:30); in a fall-back overlap the earlier instant wins.
 */
export function zonedToInstant(w: WallTime, timeZone: string): number {
  const guess = wallToUtcMs(w);
  const first = guess - offsetMinutes(guess, timeZone) * 60_000;
  const second = guess - offsetMinutes(first, timeZone) * 60_000;
  if (first === second) return first;
  // Two candidates: keep the one whose wall time matches, preferring the earlier.
  const matches = [first, second]
    .filter((t) => wallToUtcMs(wallTime(t, timeZone)) === guess)
    .sort((a, b) => a - b);
  return matches[0] ?? Math.max(first, second);
}

function pad(n: number, width = 2): string {
  return String(Math.abs(n)).padStart(width, "0");
}

/** ISO 8601 with the zone's offset: `2026-11-25T11:15:00+01:00`. */
export function isoInZone(instant: number, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  const off = offsetMinutes(instant, timeZone);
  const sign = off < 0 ? "-" : "+";
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.trunc(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** The date part (`2026-11-25`) of an instant in a zone. */
export function dateInZone(instant: number, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
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
  const today = wallTime(now, timeZone);
  const midnight = (dayShift: number): number =>
    zonedToInstant({ ...shiftDays(today, dayShift), hour: 0, minute: 0, second: 0 }, timeZone);
  if (lower === "" || lower === "now") return now;
  if (lower === "today") return midnight(0);
  if (lower === "tomorrow") return midnight(1);
  if (lower === "yesterday") return midnight(-1);
  if (ISO_WITH_OFFSET.test(text)) return Date.parse(text);
  const local = LOCAL_DATE_TIME.exec(text);
  if (local) {
    const [, y, mo, d, h, mi, s] = local;
    const w: WallTime = {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h ?? 0),
      minute: Number(mi ?? 0),
      second: Number(s ?? 0),
    };
    if (
      w.month < 1 ||
      w.month > 12 ||
      w.day < 1 ||
      w.day > daysInMonth(w.year, w.month) ||
      w.hour > 23 ||
      w.minute > 59
    ) {
      throw new ParleyError("invalid_date", `"${input}" is not a real date`);
    }
    return zonedToInstant(w, timeZone);
  }
  const time = TIME_ONLY.exec(text);
  if (time) {
    let hour = Number(time[1]);
    const minute = Number(time[2] ?? 0);
    const meridiem = time[3]?.toLowerCase();
    if (meridiem === "pm" && hour < 12) hour += 12;
    if (meridiem === "am" && hour === 12) hour = 0;
    if (hour <= 23 && minute <= 59)
      return zonedToInstant({ ...today, hour, minute, second: 0 }, timeZone);
  }
  throw new ParleyError(
    "invalid_date",
    `cannot read "${input}" as a date: use "now", "today", "tomorrow", "2026-12-24", "2026-12-24T18:30" or "15:30"`,
  );
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same wall time `days` calendar days later (normalised through UTC arithmetic on the fields). */
export function shiftDays(w: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The same wall time `months` later; the day is clamped to the month's end (Jan 31 + 1 month → Feb 28/29). */
export function shiftMonths(w: WallTime, months: number): WallTime {
  const index = w.year * 12 + (w.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { ...w, year, month, day: Math.min(w.day, daysInMonth(year, month)) };
}
