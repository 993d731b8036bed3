import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redact, redactQuick, rememberEnvSecret } from "./redact.ts";

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
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(keys, tie("node"), { maxKeys: 4 }),
  ),
})).node;

describe("redactQuick", () => {
  it("gives what redact gives, on values with and without secrets anywhere", () => {
    rememberEnvSecret("quick-env-secret-value");
    fc.assert(
      fc.property(value, (v) => {
        expect(redactQuick(v)).toEqual(redact(v));
      }),
      { numRuns: 3000, seed: 18 },
    );
  });

  it("redacts an error's message and a class's own fields (whatever its toJSON says)", () => {
    class Hidden {
      token = "sk-proj-abcdefghijklmnop";
      toJSON() {
        return {};
      }
    }
    const v = { error: new Error("failed with Bearer abcdefghijklmnop"), hidden: new Hidden() };
    expect(redactQuick(v)).toEqual({
      error: "failed with [redacted]",
      hidden: { token: "[redacted]" },
    });
  });
});
