import { describe, expect, it } from "vitest";
import { countTokens, priceUsage } from "./cost.ts";
import { pricesFor } from "./table.ts";

describe("pricing a response's usage", () => {
  it("prices gpt-realtime audio, text, image and cached input at the documented rates", () => {
    const cost = priceUsage(
      {
        input_tokens: 2_000_000,
        output_tokens: 1_500_000,
        input_token_details: {
          text_tokens: 1_000_000,
          audio_tokens: 800_000,
          image_tokens: 200_000,
          cached_tokens: 600_000,
          cached_tokens_details: { text_tokens: 500_000, audio_tokens: 100_000, image_tokens: 0 },
        },
        output_token_details: { text_tokens: 500_000, audio_tokens: 1_000_000 },
      },
      "gpt-realtime",
    );
    expect(cost?.lines.textInput).toBeCloseTo(0.5 * 4); // 500k uncached text
    expect(cost?.lines.textCachedInput).toBeCloseTo(0.5 * 0.4);
    expect(cost?.lines.audioInput).toBeCloseTo(0.7 * 32);
    expect(cost?.lines.audioCachedInput).toBeCloseTo(0.1 * 0.4);
    expect(cost?.lines.imageInput).toBeCloseTo(0.2 * 5);
    expect(cost?.lines.textOutput).toBeCloseTo(0.5 * 16);
    expect(cost?.lines.audioOutput).toBeCloseTo(1 * 64);
    expect(cost?.usd).toBeCloseTo(2 + 0.2 + 22.4 + 0.04 + 1 + 8 + 64);
  });

  it("takes cached tokens without a per-modality split as text", () => {
    const t = countTokens({ input_token_details: { text_tokens: 100, cached_tokens: 40 } });
    expect(t).toMatchObject({ textInput: 60, textCachedInput: 40 });
  });

  it("prices a dated snapshot as its model, and gpt-realtime-mini as itself", () => {
    expect(pricesFor("gpt-realtime-2025-08-28")?.audioOutput).toBe(64);
    expect(pricesFor("gpt-realtime-mini-2025-10-06")?.audioOutput).toBe(20);
  });

  it("prices the text models a delegate calls (text only), leaving realtime previews unpriced", () => {
    expect(pricesFor("gpt-5.4")).toMatchObject({ textInput: 2.5, textOutput: 15 });
    expect(pricesFor("gpt-5.4-mini")?.textOutput).toBe(4.5); // its own row, not gpt-5.4's
    expect(pricesFor("gpt-5-mini-2025-08-07")?.textOutput).toBe(2);
    expect(pricesFor("gpt-4.1-2025-04-14")?.textInput).toBe(2);
    const cost = priceUsage(
      {
        input_tokens: 1_000_000,
        output_tokens: 100_000,
        input_token_details: { text_tokens: 1_000_000 },
        output_token_details: { text_tokens: 100_000 },
      },
      "gpt-5.4",
    );
    expect(cost?.usd).toBeCloseTo(2.5 + 1.5);
    expect(pricesFor("gpt-4o-realtime-preview")).toBeUndefined();
  });

  it("returns undefined for a model without prices, and uses user overrides", () => {
    expect(priceUsage({ output_tokens: 10 }, "my-model")).toBeUndefined();
    const cost = priceUsage({ output_token_details: { audio_tokens: 1_000_000 } }, "my-model", {
      "my-model": { textInput: 1, textOutput: 1, audioInput: 1, audioOutput: 2 },
    });
    expect(cost?.usd).toBe(2);
  });
});
