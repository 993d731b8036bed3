/**
 * What a secret looks like, by the name it is kept under and by the shape of its value. One table for every place
 * output leaves the process (see redact.ts); each entry is here because a real log, audit line or error held one.
 */

/**
 * Key names, matched on the key in snake case (`cardNumber`, `card-number`, `CARD_NUMBER` → `card_number`) at its
 * end, so `OPENAI_API_KEY`, `x_auth_token`, `webhook_secret` count; plural counters (`cached_tokens`) do not.
 */
const SECRET_KEY_SUFFIX =
  /(authorization|api_?key|apikey|token|password|passwd|passphrase|secret|cookie|access_?key|private_?key|secret_?key|signing_?key|card_?(number|num|no)|cc_?number|credentials?|client_?secret)$/;
/** Short words that count only as a whole word of the key (`pin`, `user_pin`, `cardPin`, `X-Amz-Signature`; not `mapping`). */
const SECRET_KEY_WORD = /(^|_)(pin|cvv|cvc|cvv2|pwd|pass|ssn|otp|pan|sig|signature)$/;

/** `cardNumber`, `X-Access-Key`, `API KEY` → `card_number`, `x_access_key`, `api_key`. */
export function snakeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

/** Keys already judged: every event of a session stream repeats the same few dozen keys. Bounded. */
const keyVerdicts = new Map<string, boolean>();
const MAX_KEY_VERDICTS = 4096;

/** True when values kept under `key` are secrets. */
export function isSecretKey(key: string): boolean {
  const known = keyVerdicts.get(key);
  if (known !== undefined) return known;
  const k = snakeKey(key);
  const secret = SECRET_KEY_SUFFIX.test(k) || SECRET_KEY_WORD.test(k);
  if (keyVerdicts.size < MAX_KEY_VERDICTS) keyVerdicts.set(key, secret);
  return secret;
}

/**
 * A `name=value`, `name: value` or `"name":"value"` pair (query strings, env dumps, header dumps, JSON quoted in an
 * error): the value goes when the name is a secret name. `scheme://` is not a pair (the URL's own query is). Names are bounded to 64 characters so that a long run of
 * letters costs linear time.
 */
export const NAMED_VALUE =
  /(?<name>[A-Za-z][A-Za-z0-9_.-]{0,63})(?<sep>"?\s*(?:=|:(?!\/\/))\s*"?)(?<value>[^\s&"',;)}\][?#][^\s&"',;)}\]?#]{2,})/g;

/** Credentials recognisable by their shape alone, wherever they appear. */
export const SHAPES: RegExp[] = [
  // Authorization schemes, any case: "Bearer …", "bearer …", "Basic …", "Token …".
  /\b(?:bearer|basic|token|digest)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  // OpenAI / Stripe-style keys: sk-…, sk_live_…, rk_test_…, ek_… (client secrets), whsec_… (webhook secrets).
  /\b(?:sk|rk|ek|pk_live|sk_live|sk_test|rk_live|rk_test|whsec)[-_][A-Za-z0-9_-]{8,}/g,
  // JSON Web Tokens.
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  // AWS access key ids.
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b/g,
  // GitHub, Slack, Google API keys.
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  // PEM private keys.
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

/** SHAPES but the PEM key (the last), which needs `-----`. */
const WORD_SHAPES = SHAPES.slice(0, -1);

/** The password in `scheme://user:password@host`. */
export const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi;

/** 13–19 digits, in groups separated by spaces or dashes, starting like a card network (2–6). */
export const CARD_CANDIDATE = /\b[2-6](?:[ -]?\d){12,18}\b/g;

/** The Luhn checksum every payment card number passes. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** True when `digits` (spaces and dashes allowed) look like a payment card number. */
export function isCardNumber(text: string): boolean {
  const digits = text.replace(/[ -]/g, "");
  return /^[2-6]\d{12,18}$/.test(digits) && luhn(digits);
}

/** True for a number written as a payment card number (an integer of 13–19 digits that passes Luhn). */
export function isCardInteger(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) >= 1e12 && isCardNumber(String(value));
}

/**
 * One scan that finds text none of the word-led SHAPES can match (most of what a session says): every alternative,
 * case-insensitive, so it matches wherever any of them would (and sometimes where none does: then the full pass
 * runs and changes nothing). USERINFO and the PEM key are tried only when their literal part (`://`, `-----`) is
 * there: USERINFO's scheme is tried at every word otherwise, which doubled the scan. A prefilter only: the output
 * is the same as without it.
 */
const ANY_WORD_SHAPE = new RegExp(WORD_SHAPES.map((r) => `(?:${r.source})`).join("|"), "i");
const ANY_URL_PASSWORD = new RegExp(USERINFO.source, "i");
const ANY_PEM_KEY = new RegExp((SHAPES.at(-1) as RegExp).source, "i");

/** False only when USERINFO and every one of SHAPES would leave `text` as it is. */
function anyShape(text: string): boolean {
  return (
    ANY_WORD_SHAPE.test(text) ||
    (text.includes("://") && ANY_URL_PASSWORD.test(text)) ||
    (text.includes("-----") && ANY_PEM_KEY.test(text))
  );
}

/** Replaces every secret-shaped part of `text` with `mask`. */
export function maskSecrets(text: string, mask: string): string {
  let out = text;
  if (anyShape(text)) {
    out = out.replace(USERINFO, `$1${mask}@`);
    for (const shape of SHAPES) out = out.replace(shape, mask);
  }
  // A named pair needs its separator; a card number its digits. Each replace runs only where it changes something:
  // a replace with a callback cost microseconds on a sentence with one `:` ("Note: …"), most of what a session says.
  if (secretNameBeforeSep(out))
    out = out.replace(NAMED_VALUE, (whole, ...rest) => {
      const groups = rest.at(-1) as { name: string; sep: string; value: string };
      return isSecretKey(groups.name) ? `${groups.name}${groups.sep}${mask}` : whole;
    });
  if (!/\d/.test(out) || !someMatch(CARD_SCAN, out, cardMatch)) return out;
  return out.replace(CARD_CANDIDATE, (m) => (isCardNumber(m) ? mask : m));
}

/**
 * True when one of the matches `regex` (global) finds in `text`, in order, passes `test`: the matches a replace or
 * matchAll with the same pattern visits, through exec (matchAll copies the RegExp on each call).
 */
function someMatch(regex: RegExp, text: string, test: (m: RegExpExecArray) => boolean): boolean {
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    if (test(m)) {
      regex.lastIndex = 0;
      return true;
    }
    if (m[0] === "") regex.lastIndex++; // none of these patterns matches empty; as replace would, never loop
  }
  return false;
}

const CARD_SCAN = new RegExp(CARD_CANDIDATE.source, "g");
const cardMatch = (m: RegExpExecArray) => isCardNumber(m[0]);

/** True when `text` holds something shaped like a credential (a token, a key, a JWT, a card number…). */
export function hasSecretShape(text: string): boolean {
  return maskSecrets(text, "\u0000") !== text;
}

/**
 * A name right before a `=`/`:` separator: NAMED_VALUE's name and separator, the value not consumed, so that one
 * match never hides the next (a superset of the names NAMED_VALUE looks at). What secretNameBeforeSep finds without
 * a regex (kept for its property test).
 */
export const NAME_BEFORE_SEP = /([A-Za-z][A-Za-z0-9_.-]{0,63})(?="?\s*(?:=|:(?!\/\/)))/g;

/**
 * True when a name NAME_BEFORE_SEP finds is a secret name (so NAMED_VALUE may mask something): each separator's name
 * read backwards from it. The regex tries a name at every letter and backtracks through it (O(n²) in a word): 1–2 µs
 * on a sentence with one `:`, the most common text a session logs.
 */
export function secretNameBeforeSep(text: string): boolean {
  // The next `:` and the next `=`, each searched for once past the last one taken (linear in the text).
  let colon = text.indexOf(":");
  let equals = text.indexOf("=");
  while (colon >= 0 || equals >= 0) {
    let k: number;
    if (equals < 0 || (colon >= 0 && colon < equals)) {
      k = colon;
      colon = text.indexOf(":", k + 1);
    } else {
      k = equals;
      equals = text.indexOf("=", k + 1);
    }
    // `:(?!//)`: a URL's scheme is not a name.
    if (text.charCodeAt(k) === 58 && text.charCodeAt(k + 1) === 47 && text.charCodeAt(k + 2) === 47)
      continue;
    let end = k;
    while (end > 0 && SPACE.test(text[end - 1] as string)) end--;
    if (end > 0 && text.charCodeAt(end - 1) === 34) end--; // `"?` comes before the spaces
    let start = end;
    while (start > 0 && isNameChar(text.charCodeAt(start - 1))) start--;
    // The leftmost start the regex takes: a letter, at most 64 characters before the end.
    let from = Math.max(start, end - 64);
    while (from < end && !isLetter(text.charCodeAt(from))) from++;
    if (from < end && isSecretKey(text.slice(from, end))) return true;
  }
  return false;
}

/** JavaScript's `\s`, one character. */
const SPACE = /^\s$/;

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `[A-Za-z0-9_.-]` */
function isNameChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

/**
 * False only when maskSecrets would leave `text` as it is and it holds none of `known`: one pass of each check over
 * the text (strings joined by a newline, which no shape, name or card crosses to hide another). True means "run the
 * full redaction", which decides; a prefilter only.
 */
export function mayHoldSecret(text: string, known: readonly string[]): boolean {
  for (const value of known) if (text.includes(value)) return true;
  if (anyShape(text)) return true;
  if (secretNameBeforeSep(text)) return true;
  return /\d/.test(text) && someMatch(CARD_SCAN, text, cardMatch);
}
