/**
 * Numbers as people say them: digits ("38", "12.50"), words ("thirty eight", "two hundred and fifty",
 * "twenty-one"), and ordinals ("third"). Each is found with its place in the text, so a caller can tell which word
 * it counts ("three nights") and skip numbers that belong to a date.
 */
export interface SpokenNumber {
  value: number;
  start: number;
  end: number;
  /** The words right after the number, lower-cased ("nights from the"). */
  after: string;
  /** The words right before it, lower-cased. */
  before: string;
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  a: 1,
  an: 1,
  couple: 2,
  single: 1,
  dozen: 12,
  half: 0.5,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1_000_000 };

/** Words that are a number on their own ("twelve", "forty", "hundred"), without "a", "couple" or "half". */
export const NUMBER_WORDS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries({ ...UNITS, ...TENS, ...SCALES }).filter(
    ([word]) => !["a", "an", "couple", "single", "dozen", "half"].includes(word),
  ),
);

// "a" and "an" count only before a unit word ("a hundred", "an hour" is not a number we want).
const NUMBER_WORD = new RegExp(
  `\\b(?:${[...Object.keys(UNITS), ...Object.keys(TENS), ...Object.keys(SCALES)].join("|")})\\b`,
  "gi",
);

/**
 * Every number in `text`, in order.
 *
 * @example
 * spokenNumbers("thirty eight pounds for 2 nights").map((n) => n.value) // [38, 2]
 */
export function spokenNumbers(text: string): SpokenNumber[] {
  const out: SpokenNumber[] = [];
  const digits = /(?<![\w.])\d+(?:[.,]\d+)?(?![\w:])/g;
  for (let m = digits.exec(text); m; m = digits.exec(text))
    out.push(withContext(text, Number(m[0].replace(",", ".")), m.index, m.index + m[0].length));
  // Runs of number words, joined by spaces, hyphens or "and".
  const words = [...text.matchAll(NUMBER_WORD)];
  let i = 0;
  while (i < words.length) {
    let j = i;
    while (
      j + 1 < words.length &&
      /^(?:\s+|\s*-\s*|\s+and\s+)$/i.test(
        text.slice((words[j]?.index ?? 0) + (words[j]?.[0].length ?? 0), words[j + 1]?.index),
      )
    )
      j++;
    const run = words.slice(i, j + 1).map((w) => w[0].toLowerCase());
    const value = wordsValue(run);
    const first = words[i] as RegExpMatchArray;
    const last = words[j] as RegExpMatchArray;
    const isArticle = run.length === 1 && (run[0] === "a" || run[0] === "an" || run[0] === "half");
    if (value !== undefined && !isArticle)
      out.push(withContext(text, value, first.index ?? 0, (last.index ?? 0) + last[0].length));
    i = j + 1;
  }
  return out.sort((a, b) => a.start - b.start);
}

function wordsValue(said: string[]): number | undefined {
  // "a single night", "a couple": the article is not a number unless a scale follows ("a hundred").
  const run = said.filter(
    (w, i) =>
      !((w === "a" || w === "an") && i + 1 < said.length && !((said[i + 1] as string) in SCALES)),
  );
  let total = 0;
  let current = 0;
  let seen = false;
  for (const w of run) {
    if (w in UNITS) {
      current += UNITS[w] as number;
      seen = true;
    } else if (w in TENS) {
      current += TENS[w] as number;
      seen = true;
    } else if (w in SCALES) {
      const scale = SCALES[w] as number;
      current = (current || 1) * scale;
      if (scale >= 1000) {
        total += current;
        current = 0;
      }
      seen = true;
    }
  }
  return seen ? total + current : undefined;
}

function withContext(text: string, value: number, start: number, end: number): SpokenNumber {
  return {
    value,
    start,
    end,
    after: text
      .slice(end, end + 40)
      .toLowerCase()
      .trim(),
    before: text
      .slice(Math.max(0, start - 40), start)
      .toLowerCase()
      .trim(),
  };
}
