// Matched at the end of the key, so that `OPENAI_API_KEY`, `webhookSecret`, `card_token` and `x-auth-token` count too
// (plural usage counters such as `cached_tokens` do not).
const SECRET_KEY = /(authorization|api[-_]?key|token|password|passwd|secret|cookie)$/i;
const SECRET_VALUE =
  /\b(Bearer\s+)?(sk-[A-Za-z0-9_-]{8,}|ek_[A-Za-z0-9_-]{8,}|Bearer\s+[A-Za-z0-9._~+/=-]{8,})/g;

export const REDACTED = "[redacted]";

/** Replaces credentials inside a string (API keys, client secrets, bearer tokens) with `[redacted]`. */
export function redactString(text: string): string {
  return text.replace(SECRET_VALUE, REDACTED);
}

/**
 * A deep copy of `value` with secrets removed: values under secret-looking keys (ending in authorization, api_key,
 * token, password, secret, cookie, in any case) become `[redacted]`, and credential-looking substrings anywhere are masked.
 * Used for everything shown to a person or written to disk: compiled output, logs, audit lines.
 *
 * @example
 * redact({ headers: { authorization: "Bearer sk-abc…" } }) // { headers: { authorization: "[redacted]" } }
 */
export function redact<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === "string") return redactString(value);
  if (Array.isArray(value)) return value.map(walk);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      // Flags (`hasToken: true`) and empty values hide nothing.
      const hides = inner != null && inner !== "" && typeof inner !== "boolean";
      out[key] = hides && SECRET_KEY.test(key) ? REDACTED : walk(inner);
    }
    return out;
  }
  return value;
}
