import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { protocolMember } from "../runtime/stream-lines.ts";
import { isCleanJson, redact, rememberEnvSecret } from "./redact.ts";
import { numberJson, redactedJson, streamTime } from "./redacted-json.ts";
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

  it("isCleanJson judges an event's own id (new on every event, so not remembered) as redact does", () => {
    rememberEnvSecret("quick-env-secret-value");
    const ids = fc.oneof(
      fc.stringMatching(/^event_[A-Za-z0-9]{21}$/),
      secretValues.filter((v): v is string => typeof v === "string"),
    );
    let clean = 0;
    let secret = 0;
    fc.assert(
      fc.property(ids, (id) => {
        const event = { type: "response.output_audio.done", event_id: id, item_id: "item_1" };
        const same = JSON.stringify(redact(event)) === JSON.stringify(event);
        if (isCleanJson(event)) {
          clean++;
          expect(same).toBe(true);
        } else if (!same) secret++;
      }),
      { numRuns: 3000, seed: 18 },
    );
    // Both ways, plenty of times.
    expect(clean).toBeGreaterThan(300);
    expect(secret).toBeGreaterThan(100);
    expect(isCleanJson({ type: "x", event_id: "sk-live-abcdefghijklmnop0123" })).toBe(false);
    expect(isCleanJson({ type: "x", event_id: "quick-env-secret-value" })).toBe(false);
  });

  it("numberJson writes any number as JSON does, a stream time (µs-rounded) through its table too", () => {
    const times = fc.double({ min: 0, max: 2 ** 32, noNaN: true }).map(streamTime);
    fc.assert(
      fc.property(fc.oneof(times, fc.double(), fc.integer()), (v) => {
        expect(numberJson(v)).toBe(JSON.stringify(v));
      }),
      { numRuns: 20000, seed: 18 },
    );
    for (const v of [
      0,
      -0,
      0.001,
      0.5,
      0.05,
      0.005,
      2 ** 31 - 0.001,
      2 ** 31 + 0.5,
      1e-7,
      123456.789,
    ])
      expect(numberJson(v), String(v)).toBe(JSON.stringify(v));
  });
});
