import { describe, expect, it } from "vitest";
import { REDACTED, redact, redactMessage, redactString } from "./redact.ts";

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

describe("redact: the names and shapes an audit found in clear", () => {
  it("hides values under every secret key name, in any spelling", () => {
    const keys = [
      "access_key",
      "X-Access-Key",
      "awsSecretAccessKey",
      "private_key",
      "privateKey",
      "pin",
      "card_pin",
      "cvv",
      "CVC",
      "card_number",
      "cardNumber",
      "pwd",
      "db_password",
      "apikey",
      "X-Auth-Token",
      "client_secret",
      "credentials",
      "X-Amz-Signature",
    ];
    for (const key of keys) expect(redact({ [key]: "v4lue" }), key).toEqual({ [key]: REDACTED });
    const innocent = { mapping: "a", shipping: "b", typing: "c", cached_tokens: 3, pinned: "d" };
    expect(redact(innocent)).toEqual(innocent);
  });

  it("masks credential shapes inside free text", () => {
    const jwt =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    const samples = [
      "Authorization: Basic dXNlcjpwYXNzd29yZA==",
      "authorization: bearer abcdefghijklmnopqrstu",
      `token ${jwt}`,
      `x-jwt: ${jwt}`,
      "GET /v1/items?token=s3cr3tvalue&page=2",
      "backend said 401 for https://api.example.com/x?token=s3cr3tvalue",
      "API_TOKEN=tok_live_1234567890 node server.js",
      '{"password":"hunter22","user":"al"}',
      "key AKIAIOSFODNN7EXAMPLE in use",
      "stripe sk_live_51H8abcdefghijklmnop",
      "mcp at https://alice:pa55word@mcp.example.com/sse",
      "card 4111 1111 1111 1111 exp 12/29",
      "card 4111-1111-1111-1111",
      "gh token ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    ];
    for (const text of samples) {
      const out = redactString(text);
      expect(out, text).toContain(REDACTED);
      for (const secret of [
        "dXNlcjpwYXNzd29yZA",
        "abcdefghijklmnopqrstu",
        "dozjgNryP4J3",
        "s3cr3tvalue",
        "tok_live_1234567890",
        "hunter22",
        "AKIAIOSFODNN7EXAMPLE",
        "51H8abcdefghijklmnop",
        "pa55word",
        "4111 1111 1111 1111",
        "4111-1111",
        "ghp_abc",
      ])
        expect(out, text).not.toContain(secret);
    }
    expect(redactString("page=2&sort=asc")).toBe("page=2&sort=asc");
    expect(redactString("https://alice@mcp.example.com/sse")).toBe(
      "https://alice@mcp.example.com/sse",
    );
  });

  it("keeps ids, timestamps and numbers that fail the card checks", () => {
    const data = {
      time: 1764064800000,
      at: "1764064800000",
      call_id: "call_C9CiUVUzUzYIssh3ELY1d",
      uuid: "apr_7f9c2ba4-e88f-4a3b-8c5e-0b2f4a1d9e11",
      order: "4111 1111 1111 1112",
      phone: "+44 20 7946 0958",
    };
    expect(redact(data)).toEqual(data);
    expect(redact({ amount: 4111111111111111 })).toEqual({ amount: REDACTED });
  });

  it("a real audit line: card number, CVV, PIN and AWS key all go", () => {
    const line = redact({
      tool: "pay",
      arguments: {
        card: "5555555555554444",
        cvv: "123",
        pin: 4321,
        note: "use AKIAIOSFODNN7EXAMPLE",
      },
    });
    expect(JSON.stringify(line)).not.toMatch(/5555555555554444|"123"|4321|AKIAIOSFODNN7EXAMPLE/);
  });

  it("caps messages and stays linear on huge input", () => {
    const huge = `MCP error: ${"x".repeat(100_000)} Bearer abcdefghijklmnopqrstuvwxyz`;
    const out = redactMessage(huge);
    expect(out.length).toBeLessThan(2100);
    expect(out).toMatch(/more characters\)$/);
    expect(redactMessage("short Bearer abcdefghijklmnop")).toBe(`short ${REDACTED}`);
    // Long runs of name-like text: bounded name length keeps this linear (the test's timeout is the guard).
    expect(redactString("a".repeat(200_000))).toHaveLength(200_000);
    expect(redactString("a=".repeat(100_000))).toHaveLength(200_000);
  });
});

describe("redact: object graphs", () => {
  it("copies a shared object twice and ends a cycle", () => {
    const format = { type: "audio/pcm", rate: 24000 };
    expect(redact({ input: { format }, output: { format } })).toEqual({
      input: { format },
      output: { format },
    });
    const loop: Record<string, unknown> = { name: "a" };
    loop.self = loop;
    expect(redact(loop)).toEqual({ name: "a", self: "[circular]" });
  });
});
