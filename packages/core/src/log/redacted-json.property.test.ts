import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { protocolMember } from "../runtime/stream-lines.ts";
import { isCleanJson, redact, rememberEnvSecret } from "./redact.ts";
import { redactedJson } from "./redacted-json.ts";
import { secretValues } from "./test-support/secret-values.ts";

describe("the session log's one-pass redaction", () => {
  it("redactedJson writes what JSON.stringify(redact(value)) writes", () => {
    rememberEnvSecret("quick-env-secret-value");
    fc.assert(
      fc.property(secretValues, (v) => {
        const json = redactedJson(v);
        expect(json).toBeDefined();
        expect(json).toBe(JSON.stringify(redact(v)));
      }),
      { numRuns: 3000, seed: 18 },
    );
  });

  it("isCleanJson says clean only when redact changes nothing, so the frame text can be written as is", () => {
    rememberEnvSecret("quick-env-secret-value");
    let clean = 0;
    let written = 0;
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), secretValues, { maxKeys: 4 }),
        secretValues,
        (o, v) => {
          const event = { ...o, type: "x", v };
          if (!isCleanJson(event)) return;
          clean++;
          expect(redact(event)).toEqual(event);
          const text = JSON.stringify(event);
          const member = protocolMember(event, text);
        if (member !== undefined) written++;
          expect(member === undefined ? undefined : JSON.parse(`${member}}`).event).toEqual(event);
        },
      ),
      { numRuns: 3000, seed: 18 },
    );
    // Not vacuous: plenty of the generated events are clean.
    expect(clean).toBeGreaterThan(300);
    expect(written).toBeGreaterThan(300);
  });
});
