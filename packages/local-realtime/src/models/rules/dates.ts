import { createRequire } from "node:module";

type Chrono = typeof import("chrono-node");
let loaded: Chrono | undefined;
/** chrono-node, loaded on the first date to read: most sessions never need it, and it costs start-up time. */
function chrono(): Chrono {
  loaded ??= createRequire(import.meta.url)("chrono-node") as Chrono;
  return loaded;
}

/** A date or time said in an utterance, resolved against the session's date. */
export interface SaidDate {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM when a time of day was said. */
  time: string | undefined;
  start: number;
  end: number;
}

const HOUR_WORDS = [
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
];
const MINUTE_WORDS: Record<string, string> = {
  "oh five": "05",
  ten: "10",
  fifteen: "15",
  twenty: "20",
  "twenty five": "25",
  thirty: "30",
  "thirty five": "35",
  forty: "40",
  "forty five": "45",
  fifty: "50",
  "fifty five": "55",
};

/**
 * Spells times said in words as digits, which chrono reads: "at eight" → "at 8:00", "eight thirty" → "8:30",
 * "half past nine" → "9:30", "quarter to six" → "5:45". Other text is unchanged.
 */
export function timesAsDigits(text: string): string {
  const hour = `(${HOUR_WORDS.join("|")})`;
  const hourOf = (w: string) => HOUR_WORDS.indexOf(w.toLowerCase()) + 1;
  const minutes = `(${Object.keys(MINUTE_WORDS)
    .sort((a, b) => b.length - a.length)
    .join("|")})`;
  return text
    .replace(new RegExp(`\\bhalf past ${hour}\\b`, "gi"), (_, h: string) => `${hourOf(h)}:30`)
    .replace(new RegExp(`\\bquarter past ${hour}\\b`, "gi"), (_, h: string) => `${hourOf(h)}:15`)
    .replace(
      new RegExp(`\\bquarter to ${hour}\\b`, "gi"),
      (_, h: string) => `${((hourOf(h) + 10) % 12) + 1}:45`,
    )
    .replace(
      new RegExp(
        `\\b(at|by|around) ${hour}(?: ${minutes})?(?: (o'clock|am|pm|in the morning|in the evening|tonight))?\\b`,
        "gi",
      ),
      (_, at: string, h: string, m: string | undefined, tail: string | undefined) =>
        `${at} ${hourOf(h)}:${m ? MINUTE_WORDS[m.toLowerCase()] : "00"}${tail && tail !== "o'clock" ? ` ${tail}` : ""}`,
    );
}

const DAY_WORDS = /\\b(today|tonight|tomorrow|yesterday|days?|weeks?|months?|weekend)\\b/i;

/**
 * Dates in `text` ("the 12th of March", "next Friday", "tomorrow at 7pm", "in 3 days"), read forward from `today`
 * (a weekday means the next one) with chrono-node. A bare part of the day ("one night") is not a date.
 *
 * @example
 * saidDates("two nights from Friday", new Date("2027-03-03"))[0].date // "2027-03-05"
 */
export function saidDates(text: string, today: Date): SaidDate[] {
  return chrono()
    .parse(text, today, { forwardDate: true })
    .filter(
      (r) =>
        r.start.isCertain("day") ||
        r.start.isCertain("weekday") ||
        r.start.isCertain("month") ||
        r.start.isCertain("hour") ||
        DAY_WORDS.test(r.text),
    )
    .map((r) => {
      const d = r.start.date();
      // Read forward, except a day of the month just past ("March 1st" on March 3rd is two days ago).
      if (r.start.isCertain("month") && !r.start.isCertain("year")) {
        const lastYear = new Date(d);
        lastYear.setFullYear(d.getFullYear() - 1);
        if (lastYear.getTime() >= today.getTime() - 31 * 86_400_000)
          d.setFullYear(d.getFullYear() - 1);
      }
      const pad = (n: number) => String(n).padStart(2, "0");
      return {
        date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
        time: r.start.isCertain("hour") ? `${pad(d.getHours())}:${pad(d.getMinutes())}` : undefined,
        start: r.index,
        end: r.index + r.text.length,
      };
    });
}
