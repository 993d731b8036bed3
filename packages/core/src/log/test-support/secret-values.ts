import fc from "fast-check";

// Values shaped like session events with secrets of every kind anywhere: for the property tests of the redaction
// paths that must give what `redact` gives.

/** Pieces a session event's strings and keys are made of: secrets of every kind, and the ordinary words around them. */
const words = fc.constantFrom(
  "Bearer abcdefghijklmnop",
  "sk-proj-abcdefghijklmnop",
  "eyJhbGciOi.eyJzdWIiOi.sig",
  "AKIAABCDEFGHIJKLMNOP",
  "https://ada:hunter22@example.com/x",
  "api_key=abc123def",
  "token: t0k3nvalue",
  "4111 1111 1111 1111",
  "-----BEGIN RSA PRIVATE KEY-----\nMIIB",
  "quick-env-secret-value",
  "room 12 at 7:30",
  "event_123",
  "response.output_audio.delta",
  'say "hi"',
  "",
);
const keys = fc.constantFrom(
  "type",
  "event_id",
  "delta",
  "pin",
  "cardNumber",
  "X-Access-Key",
  "api key",
  "Authorization",
  `${"x".repeat(60)}apiKey`,
  "1pin",
  "input_tokens",
  "hasToken",
);
const leaf = fc.oneof(
  fc.array(words, { maxLength: 3 }).map((p) => p.join(" ")),
  fc.string(),
  fc.integer(),
  fc.constant(4111111111111111),
  fc.boolean(),
  fc.constant(null),
);
/** Any JSON value made of the pieces above. */
export const secretValues = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(keys, tie("node"), { maxKeys: 4 }),
  ),
})).node;
