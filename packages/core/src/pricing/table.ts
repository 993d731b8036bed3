/**
 * USD per one million tokens, by modality. `cached*` prices apply to the cached part of the input.
 * An omitted cached price falls back to the uncached one.
 */
export interface ModelPrices {
  textInput: number;
  textCachedInput?: number;
  textOutput: number;
  /** Omitted for text models (the Responses models a delegate calls): their audio lines cost nothing. */
  audioInput?: number;
  audioCachedInput?: number;
  audioOutput?: number;
  imageInput?: number;
  imageCachedInput?: number;
}

/** Prices per model name. A dated snapshot (`gpt-realtime-2025-08-28`) is priced as its longest matching prefix. */
export type PriceTable = Record<string, ModelPrices>;

/**
 * Defaults, from OpenAI's published prices (gpt-realtime at launch, Aug 2025; see docs/runtime.md).
 * Users override or add models with `startSession({ prices })` or `priceUsage(usage, model, table)`.
 */
export const defaultPrices: PriceTable = {
  "gpt-realtime": {
    textInput: 4,
    textCachedInput: 0.4,
    textOutput: 16,
    audioInput: 32,
    audioCachedInput: 0.4,
    audioOutput: 64,
    imageInput: 5,
    imageCachedInput: 0.5,
  },
  "gpt-realtime-mini": {
    textInput: 0.6,
    textCachedInput: 0.06,
    textOutput: 2.4,
    audioInput: 10,
    audioCachedInput: 0.3,
    audioOutput: 20,
    imageInput: 0.8,
    imageCachedInput: 0.08,
  },
  // Text models, for delegate tools (the Responses API): USD per 1M tokens, standard tier, under 270K context, as
  // OpenAI's pricing page listed them in April–June 2026 (gpt-5.x) and at their launches (gpt-5, Aug 2025; gpt-4.1,
  // Apr 2025). A dated snapshot is priced as its base name; check the page before relying on a figure.
  "gpt-5.5": text(5, 0.5, 30),
  "gpt-5.4": text(2.5, 0.25, 15),
  "gpt-5.4-mini": text(0.75, 0.075, 4.5),
  "gpt-5.4-nano": text(0.2, 0.02, 1.25),
  "gpt-5.2": text(1.75, 0.175, 14),
  "gpt-5.1": text(1.25, 0.125, 10),
  "gpt-5": text(1.25, 0.125, 10),
  "gpt-5-mini": text(0.25, 0.025, 2),
  "gpt-5-nano": text(0.05, 0.005, 0.4),
  "gpt-4.1": text(2, 0.5, 8),
  "gpt-4.1-mini": text(0.4, 0.1, 1.6),
  "gpt-4.1-nano": text(0.1, 0.025, 0.4),
  // No gpt-4o / gpt-4o-mini rows: as prefixes they would price gpt-4o-realtime-preview's audio at nothing.
};

/** A text model's prices: input, cached input, output (image input is billed as text input). */
function text(input: number, cached: number, output: number): ModelPrices {
  return {
    textInput: input,
    textCachedInput: cached,
    textOutput: output,
    imageInput: input,
    imageCachedInput: cached,
  };
}

/**
 * The prices for `model`: an exact entry, else the longest entry that prefixes it, else undefined.
 *
 * @example
 * pricesFor("gpt-realtime-2025-08-28")?.audioOutput // 64
 */
export function pricesFor(
  model: string,
  table: PriceTable = defaultPrices,
): ModelPrices | undefined {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (model.startsWith(`${name}-`) && (!best || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : table[best];
}
