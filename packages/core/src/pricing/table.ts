/**
 * USD per one million tokens, by modality. `cached*` prices apply to the cached part of the input.
 * An omitted cached price falls back to the uncached one.
 */
export interface ModelPrices {
  textInput: number;
  textCachedInput?: number;
  textOutput: number;
  audioInput: number;
  audioCachedInput?: number;
  audioOutput: number;
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
};

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
