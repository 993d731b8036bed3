import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { embedText, extractTexts, payload } from "./carrier.ts";
import type { AudioFormat } from "./formats.ts";

/** Bytes of `samples` samples whose carrier bits are random (noise the marker must not be found in). */
function noise(format: AudioFormat, samples: number, bits: number[]): Buffer {
  const step = format === "audio/pcm" ? 2 : 1;
  const bytes = Buffer.alloc(samples * step);
  for (let i = 0; i < samples; i++) bytes[i * step] = (bits[i % bits.length] as number) & 1;
  return bytes;
}

describe("the low-bit carrier", () => {
  it("reads back every text, in order, between stretches of random bits and back to back", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AudioFormat>("audio/pcm", "audio/pcmu"),
        fc.array(
          fc.record({
            // 0: the text starts right after the previous one's checksum.
            gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
            text: fc.string({ minLength: 0, maxLength: 24 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 64 }),
        (format, parts, bits) => {
          const step = format === "audio/pcm" ? 2 : 1;
          const pieces: Buffer[] = [];
          for (const { gap, text } of parts) {
            const carrier = noise(format, payload(text).length * 8, [0]);
            embedText(carrier, format, text);
            pieces.push(noise(format, gap, bits), carrier);
          }
          pieces.push(noise(format, 40, bits));
          const audio = Buffer.concat(pieces);
          expect(audio.length % step).toBe(0);
          expect(extractTexts(audio, format)).toEqual(parts.map((p) => p.text));
        },
      ),
      // A fixed seed: CI runs the cases a developer reproduces.
      { seed: 12, numRuns: 300 },
    );
  });

  it("finds nothing in a marker whose length runs past the end, or whose checksum is wrong", () => {
    const whole = noise("audio/pcmu", payload("hello").length * 8, [0]);
    embedText(whole, "audio/pcmu", "hello");
    expect(extractTexts(whole.subarray(0, whole.length - 1), "audio/pcmu")).toEqual([]);
    const corrupt = Buffer.from(whole);
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 1;
    expect(extractTexts(corrupt, "audio/pcmu")).toEqual([]);
  });
});
