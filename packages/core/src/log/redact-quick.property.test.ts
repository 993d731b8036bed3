import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redact, redactChecked, redactQuick, rememberEnvSecret } from "./redact.ts";
import { secretValues as value } from "./test-support/secret-values.ts";

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

  it("says clean only when redact changes nothing (a line may then be the frame's own text)", () => {
    rememberEnvSecret("quick-env-secret-value");
    let clean = 0;
    fc.assert(
      fc.property(value, (v) => {
        const checked = redactChecked(v);
        expect(checked.value).toEqual(redact(v));
        if (!checked.clean) return;
        clean++;
        expect(redact(v)).toEqual(v);
      }),
      { numRuns: 3000, seed: 18 },
    );
    expect(clean).toBeGreaterThan(300); // not vacuous
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
