// No imports: @parley/local-realtime (which does not depend on core) reads lines with `lineToSay` from this file,
// bundled into its own dist, so the convention is written once.

/**
 * The wire convention for a line the model says verbatim (greetings, goodbyes, canned fillers): the response's
 * `instructions`. The local server's models recognise it with `lineToSay` below.
 *
 * @example
 * sayExactly("One moment.") // 'Say exactly: "One moment."'
 */
export function sayExactly(line: string): string {
  return `Say exactly: "${line}"`;
}

/** Matches `sayExactly`'s output; group 1 is the line. */
export const SAY_EXACTLY = /^Say exactly: "([\s\S]*)"$/;

/**
 * The line a response's instructions ask to be said verbatim, if they do: `sayExactly`'s output, and the looser
 * forms other clients write (text after the line, curly quotes, any case). The local server's models say it.
 *
 * @example
 * lineToSay(sayExactly('Welcome to "Lumen"!')) // 'Welcome to "Lumen"!'
 */
export function lineToSay(instructions: string | undefined): string | undefined {
  if (!instructions) return undefined;
  // A line ending the instruction's line may itself contain quotes (`Welcome to "Lumen"!`): take up to the last one.
  const whole = /Say exactly:\s*"(.*)"\s*$/im.exec(instructions);
  if (whole) return whole[1];
  const m = /Say exactly:\s*(?:"([^"]*)"|“([^”]*)”)/i.exec(instructions);
  return m ? (m[1] ?? m[2]) : undefined;
}
