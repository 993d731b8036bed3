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
});
