import { isDeepStrictEqual } from "node:util";

/**
 * True when `actual` contains everything in `expected`: objects match on the keys given (recursively), each item of
 * an expected array matches some item of the actual array, scalars are equal, strings case-insensitively (the model
 * may say "paris" for "Paris").
 *
 * @example
 * partialMatch({ nights: 2 }, { nights: 2, room: "double" }) // true
 */
export function partialMatch(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    // A list matches when each expected item matches some actual item: `rooms: [{ type: suite }]` = "has a suite".
    return Array.isArray(actual) && expected.every((e) => actual.some((a) => partialMatch(e, a)));
  }
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, v]) =>
      partialMatch(v, (actual as Record<string, unknown>)[k]),
    );
  }
  if (typeof expected === "string" && typeof actual === "string")
    return expected.toLowerCase() === actual.toLowerCase();
  // 2 and "2" are the same answer from a speaking model.
  if (typeof expected === "number" && typeof actual === "string")
    return String(expected) === actual.trim();
  return isDeepStrictEqual(expected, actual);
}

/** Whether an agent line satisfies an `expect_say`: `contains` (case-insensitive) or `regex` (flag i). */
export function sayMatches(text: string, expect: { contains?: string; regex?: string }): boolean {
  if (expect.contains !== undefined && !normal(text).includes(normal(expect.contains)))
    return false;
  if (expect.regex !== undefined && !new RegExp(expect.regex, "i").test(text)) return false;
  return true;
}

/** Lower case, curly quotes straightened, whitespace collapsed: speech transcripts vary in these. */
function normal(s: string): string {
  return s.toLowerCase().replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, " ");
}

/**
 * The event-log test for "the next call should be `tool` (with `args`)" among the calls made under `parent` (a
 * delegation's call id; `undefined`: the voice model's own calls): a call elsewhere is skipped (`false`), the right
 * call matches (`true`), any other call there ends the wait (`"stop"`).
 *
 * @example
 * await ctx.log.next("tool", callMatch("refund", { amount: 40 }, undefined), endOfTurn(ctx));
 */
export function callMatch(
  tool: string,
  args: unknown,
  parent: string | undefined,
): (e: { tool: string; args: unknown; parent?: string }) => boolean | "stop" {
  return (e) =>
    e.parent !== parent
      ? false
      : e.tool === tool && (!args || partialMatch(args, e.args))
        ? true
        : "stop";
}
