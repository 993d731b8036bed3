/**
 * Keys that reach an object's prototype when code copies arguments with `Object.assign`, `_.merge` or `obj[key] =`:
 * `{"__proto__": {"amount": 5000}}` would read as `amount: 5000` in a handler while a condition (own keys only)
 * sees no amount at all. No tool needs them, so they are dropped at the door.
 */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * `JSON.parse` for text from the model (function call arguments, MCP approval arguments): the same value without
 * `__proto__`, `constructor` or `prototype` keys at any depth. Throws on invalid JSON like `JSON.parse`.
 *
 * @example
 * parseModelJson('{"__proto__": {"amount": 5000}, "note": "x"}') // { note: "x" }
 */
export function parseModelJson(raw: string): unknown {
  // A reviver makes JSON.parse call back for every key and value (~4× the parse of a call's `{}`): only text that
  // could hold such a key gets one. A key is one of them only if the word is in the text, or written with escapes.
  if (!MAY_HOLD_PROTOTYPE_KEY.test(raw)) return JSON.parse(raw);
  return JSON.parse(raw, (key, value) => (PROTOTYPE_KEYS.has(key) ? undefined : value));
}

const MAY_HOLD_PROTOTYPE_KEY = /\\|__proto__|constructor|prototype/;

/** `parseModelJson`, or the raw text when it is not JSON (for display and audit, never for handlers). */
export function parseModelJsonLoose(raw: string): unknown {
  try {
    return parseModelJson(raw);
  } catch {
    return raw;
  }
}
