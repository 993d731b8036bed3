/**
 * Places in an utterance: a capitalized name after "in", "at", "to", "from" or "for" ("What time is it in New
 * York?"), and the IANA time zone of a city, found among the zones the runtime knows (Europe/London for
 * "London") — no table to keep up to date.
 */

const ZONES: readonly string[] = Intl.supportedValuesOf("timeZone");

/** The capitalized place named after a preposition, e.g. "London" in "what time is it in London". */
export function placeIn(text: string): { name: string; start: number; end: number } | undefined {
  const re = /\b(?:in|at|to|from|for)\s+((?:[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*)*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[1] as string;
    if (timeZoneOf(name)) {
      const start = m.index + m[0].length - name.length;
      return { name, start, end: start + name.length };
    }
  }
  return undefined;
}

/**
 * The IANA zone whose city part is `place` ("New York" → "America/New_York"), or a zone name given as is.
 *
 * @example
 * timeZoneOf("Tokyo") // "Asia/Tokyo"
 */
export function timeZoneOf(place: string): string | undefined {
  if (ZONES.includes(place)) return place;
  const wanted = place.trim().replace(/\s+/g, "_").toLowerCase();
  return ZONES.find((z) => z.split("/").at(-1)?.toLowerCase() === wanted);
}
