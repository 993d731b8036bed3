import type { RealtimeResponseUsage } from "openai/resources/realtime/realtime";
import {
  addCounts,
  type Cost,
  countTokens,
  type PriceTable,
  priceCounts,
  type TokenCounts,
  zeroCounts,
} from "../pricing/index.ts";

/**
 * Tokens and dollars per response and per session, and the budget check. "Would be exceeded" is a forecast: the
 * next response re-reads the whole conversation, so it costs at least about what the last one did; when the spend
 * so far plus that would pass the budget, the session says goodbye now rather than after overspending.
 */
export class CostMeter {
  readonly tokens: TokenCounts = zeroCounts();
  #spent = 0;
  #last = 0;
  #model: string;
  readonly #prices: PriceTable;

  constructor(model: string, prices: PriceTable) {
    this.#model = model;
    this.#prices = prices;
  }

  get spentUsd(): number {
    return this.#spent;
  }

  get model(): string {
    return this.#model;
  }

  set model(model: string) {
    this.#model = model;
  }

  /** True when the table has a price for the session's model (costs are then real numbers). */
  get priced(): boolean {
    return priceCounts(zeroCounts(), this.#model, this.#prices) !== undefined;
  }

  record(usage: RealtimeResponseUsage | undefined): {
    tokens: TokenCounts;
    cost: Cost | undefined;
  } {
    const tokens = countTokens(usage);
    addCounts(this.tokens, tokens);
    const cost = priceCounts(tokens, this.#model, this.#prices);
    if (cost) {
      this.#spent += cost.usd;
      this.#last = cost.usd;
    }
    return { tokens, cost };
  }

  /** The projected spend after one more response, when it passes `budgetUsd`; otherwise undefined. */
  wouldExceed(budgetUsd: number | undefined): number | undefined {
    if (budgetUsd === undefined) return undefined;
    const projected = this.#spent + this.#last;
    return projected > budgetUsd ? projected : undefined;
  }
}
