/**
 * The wire convention for a line the model says verbatim (greetings, goodbyes, canned fillers): the response's
 * `instructions`. The local server's models recognise this exact shape (`SAY_EXACTLY` below is the pattern they
 * match; @parley/local-realtime keeps its own copy, as it does not depend on core).
 *
 * @example
 * sayExactly("One moment.") // 'Say exactly: "One moment."'
 */
export function sayExactly(line: string): string {
  return `Say exactly: "${line}"`;
}

/** Matches `sayExactly`'s output; group 1 is the line. */
export const SAY_EXACTLY = /^Say exactly: "([\s\S]*)"$/;
