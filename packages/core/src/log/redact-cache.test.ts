import { describe, expect, it } from "vitest";
import { REDACTED, redactString, rememberEnvSecret } from "./redact.ts";

describe("redacting short strings seen before", () => {
  it("masks a value remembered after the string was first redacted", () => {
    const text = "room code plainword42";
    expect(redactString(text)).toBe(text); // not secret-shaped: kept, and remembered as kept
    rememberEnvSecret("plainword42");
    expect(redactString(text)).toBe(`room code ${REDACTED}`);
  });

  it("gives the same answer from memory as the first time", () => {
    const text = "Bearer abcdefghijkl";
    const first = redactString(text);
    expect(first).toBe(REDACTED);
    expect(redactString(text)).toBe(first);
  });

  it("keeps a long text's verdict too (a transcript repeats in several events), and forgets it for a new secret", () => {
    const answer = `Your booking is confirmed for two nights from the 12th of March, reference ${"X".repeat(40)}7731.`;
    expect(answer.length).toBeGreaterThan(64);
    expect(redactString(answer)).toBe(answer);
    expect(redactString(answer)).toBe(answer);
    rememberEnvSecret(`${"X".repeat(40)}7731`);
    expect(redactString(answer)).toBe(
      "Your booking is confirmed for two nights from the 12th of March, reference [redacted].",
    );
    const card = `Please charge the card 4111 1111 1111 1111 for the stay. ${"Thank you. ".repeat(8)}`;
    expect(redactString(card)).toBe(redactString(card));
    expect(redactString(card)).toContain(REDACTED);
    expect(redactString(card)).not.toContain("4111");
  });
});
