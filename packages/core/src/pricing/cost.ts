import type { RealtimeResponseUsage } from "openai/resources/realtime/realtime";
import { defaultPrices, type PriceTable, pricesFor } from "./table.ts";

/** Tokens of one response (or a sum of them), split the way they are priced. */
export interface TokenCounts {
  textInput: number;
  textCachedInput: number;
  textOutput: number;
  audioInput: number;
  audioCachedInput: number;
  audioOutput: number;
  imageInput: number;
  imageCachedInput: number;
}

/** What tokens cost, in USD, per line and in total. */
export interface Cost {
  usd: number;
  lines: TokenCounts;
}

export function zeroCounts(): TokenCounts {
  return {
    textInput: 0,
    textCachedInput: 0,
    textOutput: 0,
    audioInput: 0,
    audioCachedInput: 0,
    audioOutput: 0,
    imageInput: 0,
    imageCachedInput: 0,
  };
}

/**
 * Splits a `response.done` usage into priced lines. The API's per-modality input counts include their cached
 * part (`cached_tokens_details`), so the uncached count is the difference; cached tokens reported without a
 * per-modality split are taken as text (the instructions and tools, which is what gets cached first).
 */
export function countTokens(usage: RealtimeResponseUsage | undefined): TokenCounts {
  const counts = zeroCounts();
  if (!usage) return counts;
  const input = usage.input_token_details ?? {};
  const cached = input.cached_tokens_details;
  const cachedText = cached ? (cached.text_tokens ?? 0) : (input.cached_tokens ?? 0);
  const cachedAudio = cached?.audio_tokens ?? 0;
  const cachedImage = cached?.image_tokens ?? 0;
  counts.textCachedInput = cachedText;
  counts.audioCachedInput = cachedAudio;
  counts.imageCachedInput = cachedImage;
  counts.textInput = Math.max(0, (input.text_tokens ?? 0) - cachedText);
  counts.audioInput = Math.max(0, (input.audio_tokens ?? 0) - cachedAudio);
  counts.imageInput = Math.max(0, (input.image_tokens ?? 0) - cachedImage);
  const output = usage.output_token_details ?? {};
  counts.textOutput = output.text_tokens ?? 0;
  counts.audioOutput = output.audio_tokens ?? 0;
  return counts;
}

/** Adds `b` into `a` (for session totals). Field by field: once per response, with no key list made each time. */
export function addCounts(a: TokenCounts, b: TokenCounts): TokenCounts {
  a.textInput += b.textInput;
  a.textCachedInput += b.textCachedInput;
  a.textOutput += b.textOutput;
  a.audioInput += b.audioInput;
  a.audioCachedInput += b.audioCachedInput;
  a.audioOutput += b.audioOutput;
  a.imageInput += b.imageInput;
  a.imageCachedInput += b.imageCachedInput;
  return a;
}

/**
 * The cost of one response's usage for `model`, or undefined when the table has no price for the model.
 *
 * @example
 * priceUsage(event.response.usage, "gpt-realtime")?.usd
 */
export function priceUsage(
  usage: RealtimeResponseUsage | undefined,
  model: string,
  table: PriceTable = defaultPrices,
): Cost | undefined {
  return priceCounts(countTokens(usage), model, table);
}

/** USD per token from a price per million; module-level so a call per usage event makes no closure. */
function perToken(price: number | undefined): number {
  return (price ?? 0) / 1_000_000;
}

export function priceCounts(
  counts: TokenCounts,
  model: string,
  table: PriceTable = defaultPrices,
): Cost | undefined {
  const p = pricesFor(model, table);
  if (!p) return undefined;
  const lines: TokenCounts = {
    textInput: counts.textInput * perToken(p.textInput),
    textCachedInput: counts.textCachedInput * perToken(p.textCachedInput ?? p.textInput),
    textOutput: counts.textOutput * perToken(p.textOutput),
    audioInput: counts.audioInput * perToken(p.audioInput),
    audioCachedInput: counts.audioCachedInput * perToken(p.audioCachedInput ?? p.audioInput),
    audioOutput: counts.audioOutput * perToken(p.audioOutput),
    imageInput: counts.imageInput * perToken(p.imageInput),
    imageCachedInput: counts.imageCachedInput * perToken(p.imageCachedInput ?? p.imageInput),
  };
  const usd =
    lines.textInput +
    lines.textCachedInput +
    lines.textOutput +
    lines.audioInput +
    lines.audioCachedInput +
    lines.audioOutput +
    lines.imageInput +
    lines.imageCachedInput;
  return { usd, lines };
}
