import { describe, expect, it } from "vitest";
import { REDACTED, redact, redactString } from "./redact.ts";

describe("redact", () => {
  it("hides values under keys that end in a secret word, in any case or spelling", () => {
    const out = redact({
      OPENAI_API_KEY: "plain-value-1",
      webhookSecret: "plain-value-2",
      card_token: "tok_123",
      "x-auth-token": "abc",
      "Proxy-Authorization": "Basic dXNlcjpwYXNz",
      nested: [{ password: 1234, apiKey: "k" }],
    });
    expect(out).toEqual({
      OPENAI_API_KEY: REDACTED,
      webhookSecret: REDACTED,
      card_token: REDACTED,
      "x-auth-token": REDACTED,
      "Proxy-Authorization": REDACTED,
      nested: [{ password: REDACTED, apiKey: REDACTED }],
    });
  });

  it("leaves usage counters, flags and empty values alone, and masks keys inside free text", () => {
    const data = {
      cached_tokens: 12,
      max_output_tokens: 300,
      hasToken: true,
      token: "",
      secret: null,
    };
    expect(redact(data)).toEqual(data);
    expect(redact({ note: "use sk-abcdefghijklmnop please" })).toEqual({
      note: `use ${REDACTED} please`,
    });
    expect(redactString("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y")).toBe(
      `Authorization: ${REDACTED}`,
    );
  });
});
