export {
  addCounts,
  type Cost,
  countTokens,
  priceCounts,
  priceUsage,
  type TokenCounts,
  zeroCounts,
} from "./cost.ts";
export { defaultPrices, type ModelPrices, type PriceTable, pricesFor } from "./table.ts";
