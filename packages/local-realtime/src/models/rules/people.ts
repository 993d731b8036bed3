import { timeZoneOf } from "./places.ts";

// Capitalized words that start requests or name days and months, never people.
const NOT_A_NAME =
  /^(I|I'm|I'd|I'll|OK|Okay|Please|Hi|Hello|Hey|Thanks|Can|Could|Would|What|When|Where|Which|Who|How|Is|Are|Do|Does|The|A|An|And|Book|Check|Find|Get|Tell|Give|Put|Make|Order|Cancel|Send|Open|Look|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Today|Tomorrow|Yes|No)$/;

/**
 * The person an utterance names: a run of two or more capitalized words ("Grace Hopper"), or one after "name is",
 * "called", "named" or "under" ("my name is Ada"). Places (words that are a time zone's city) do not count.
 *
 * @example
 * personName("a suite for two nights from Friday for Grace Hopper") // "Grace Hopper"
 */
export function personName(text: string): string | undefined {
  const cue =
    /\b(?:name is|name's|called|named|under|for|this is|I'm|I am)\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)/g;
  const runs = /\b[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)+/g;
  const candidates: string[] = [];
  for (let m = cue.exec(text); m; m = cue.exec(text)) candidates.push(m[1] as string);
  for (let m = runs.exec(text); m; m = runs.exec(text)) candidates.push(m[0]);
  for (const raw of candidates) {
    const words = raw.split(/\s+/).filter((w) => !NOT_A_NAME.test(w));
    const name = words.join(" ");
    if (!name || timeZoneOf(name) || words.some((w) => timeZoneOf(w))) continue;
    // A single word counts only after a cue ("name is Ada"), not as any capitalized word.
    if (
      words.length === 1 &&
      !new RegExp(`(?:name is|name's|called|named|under|this is|I'm|I am)\\s+${name}`).test(text)
    )
      continue;
    return name;
  }
  return undefined;
}
