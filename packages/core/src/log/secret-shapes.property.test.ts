import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CARD_CANDIDATE,
  isCardNumber,
  isSecretKey,
  maskSecrets,
  NAME_BEFORE_SEP,
  NAMED_VALUE,
  SHAPES,
  secretNameBeforeSep,
  USERINFO,
} from "./secret-shapes.ts";

/** Every pass on every string: what maskSecrets did before its prefilters. */
function everyPass(text: string, mask: string): string {
  let out = text.replace(USERINFO, `$1${mask}@`);
  for (const shape of SHAPES) out = out.replace(shape, mask);
  out = out.replace(NAMED_VALUE, (whole, ...rest) => {
    const groups = rest.at(-1) as { name: string; sep: string; value: string };
    return isSecretKey(groups.name) ? `${groups.name}${groups.sep}${mask}` : whole;
  });
  return out.replace(CARD_CANDIDATE, (m) => (isCardNumber(m) ? mask : m));
}

const fragments = fc.constantFrom(
  "Bearer abcdefghijklmnop",
  "BASIC dXNlcjpwYXNzd29yZA==",
  "sk-proj-abcdefghijklmnop",
  "whsec_abcdefghijkl",
  "eyJhbGciOi.eyJzdWIiOi.sig",
  "AKIAABCDEFGHIJKLMNOP",
  "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
  "https://ada:hunter22@example.com/x",
  "api_key=abc123def",
  '"password": "swordfish"',
  "token: t0k3nvalue",
  "4111 1111 1111 1111",
  "4111-1111-1111-1112",
  "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
  "room 12 at 7:30",
  "event_123",
  "response.output_audio_transcript.delta",
);

describe("maskSecrets' prefilters", () => {
  it("never change what it masks: the same output as every pass on every string", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fragments, fc.string(), fc.stringMatching(/^[\w :=@./-]{0,30}$/)), {
          maxLength: 6,
        }),
        (parts) => {
          const text = parts.join(" ");
          expect(maskSecrets(text, "[redacted]")).toBe(everyPass(text, "[redacted]"));
        },
      ),
      { numRuns: 3000, seed: 18 },
    );
  });

  it("read a separator's name backwards exactly as the name regex finds it, so the named-pair check never misses", () => {
    const pieces = fc.oneof(
      fragments,
      fc.constantFrom(
        "token",
        "apiKey",
        "x-api-key",
        "_pin",
        "9pwd",
        "user.password",
        '"',
        ":",
        "=",
        "://",
        " ",
        "\u00a0",
        "\u2028",
        "\t",
        "a".repeat(70),
        `${"b".repeat(61)}secret`,
        `1${"c".repeat(63)}token`,
      ),
      fc.stringMatching(/^[\w :="/.-]{0,12}$/),
    );
    let secret = 0;
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
        const text = parts.join("");
        const byRegex = [...text.matchAll(NAME_BEFORE_SEP)].some((m) =>
          isSecretKey(m[1] as string),
        );
        if (byRegex) secret++;
        expect(secretNameBeforeSep(text), JSON.stringify(text)).toBe(byRegex);
      }),
      { numRuns: 5000, seed: 18 },
    );
    expect(secret).toBeGreaterThan(500); // not vacuous
  });
});
