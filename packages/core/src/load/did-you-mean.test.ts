import { describe, expect, it } from "vitest";
import { didYouMean } from "./did-you-mean.ts";

describe("did you mean", () => {
  const keys = ["instructions", "silenceDuration", "prefixPadding", "voice", "tools"];

  it.each([
    ["instrucions", "instructions"],
    ["silence_duration", "silenceDuration"],
    ["silenceDurationMs", "silenceDuration"],
    ["vioce", "voice"],
    ["Tools", "tools"],
  ])("%s → %s", (typo, meant) => {
    expect(didYouMean(typo, keys)).toBe(meant);
  });

  it("stays quiet when nothing is close", () => {
    expect(didYouMean("temperature", keys)).toBeUndefined();
    expect(didYouMean("x", [])).toBeUndefined();
  });
});
