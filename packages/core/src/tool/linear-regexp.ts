import { createRequire } from "node:module";
import type { RE2JS as Re2 } from "re2js";

let loaded: typeof Re2 | undefined;
/** re2js, loaded on first use (like ajv): commands that never check a pattern do not pay for it. */
function re2(): typeof Re2 {
  loaded ??= (createRequire(import.meta.url)("re2js") as { RE2JS: typeof Re2 }).RE2JS;
  return loaded;
}

/** What ajv needs of a compiled `pattern`. */
interface RegExpLike {
  test(text: string): boolean;
  toString(): string;
}

/**
 * JavaScript's `\uXXXX` and `\u{X…}` escapes in RE2's spelling (`\x{X…}`); everything else in JSON Schema
 * patterns that RE2 supports is spelled the same.
 */
function toRe2Syntax(pattern: string): string {
  return pattern.replace(
    /\\u\{([0-9A-Fa-f]{1,6})\}|\\u([0-9A-Fa-f]{4})/g,
    (whole, braced, plain) => (whole.length > 0 ? `\\x{${braced ?? plain}}` : whole),
  );
}

/** Why RE2 cannot run `pattern` (lookaround, a backreference…), or undefined when it can. */
export function linearPatternError(pattern: string): string | undefined {
  try {
    re2().compile(toRe2Syntax(pattern));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * ajv's `code.regExp` engine: JSON Schema `pattern`s run on RE2 (re2js), whose matching is linear in the input,
 * so a pattern such as `^(a+)+$` checked against a model's argument cannot block the process (V8's backtracking
 * engine takes seconds on 28 characters). A pattern RE2 cannot express (lookaround, backreferences) falls back to
 * JavaScript's engine: the loader refuses those in agent files (`linearPatternError`), so only code-defined
 * schemas (zod, which checks the same pattern natively anyway) and MCP servers' schemas reach the fallback.
 *
 * @example
 * new Ajv({ code: { regExp: linearRegExp } })
 */
export const linearRegExp = Object.assign(
  (pattern: string, flags: string): RegExpLike => {
    const RE2JS = re2();
    let re: Re2;
    try {
      re = RE2JS.compile(toRe2Syntax(pattern), flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0);
    } catch {
      return new RegExp(pattern, flags);
    }
    // ajv caches compiled patterns by `toString()`: without a distinct one every pattern would share the first.
    const source = `/${pattern}/${flags}`;
    return { test: (text: string) => re.matcher(text).find(), toString: () => source };
  },
  // ajv only reads `code` when generating standalone validator source, which Parley never does.
  { code: "linearRegExp" },
);
