import type { RealtimeResponse, RealtimeResponseUsage } from "openai/resources/realtime/realtime";
import {
  addCounts,
  type Cost,
  countTokens,
  type PriceTable,
  priceCounts,
  type TokenCounts,
  zeroCounts,
} from "../pricing/index.ts";
import type { ResponseKind, SessionEvents } from "./events.ts";
import type { ResponseOrigin } from "./response-types.ts";

/**
 * Tokens and dollars per response and per session, and the budget check. "Would be exceeded" is a forecast: the
 * next response re-reads the whole conversation, so it costs at least about what the last one did; when the spend
 * so far plus that would pass the budget, the session says goodbye now rather than after overspending.
 */
// An idle session has counted nothing: its totals are this shared zero until the first usage (a counts object and its
// number boxes are ~180 bytes a session).
const NO_TOKENS: Readonly<TokenCounts> = Object.freeze(zeroCounts());

export class CostMeter {
  #tokens: TokenCounts | undefined;
  #spent = 0;
  #last = 0;
  /** The session's model: `session.updated` may change it, and later responses are priced for the new one. */
  model: string;
  readonly #prices: PriceTable;

  constructor(model: string, prices: PriceTable) {
    this.model = model;
    this.#prices = prices;
  }

  /** The session's token totals so far. */
  get tokens(): Readonly<TokenCounts> {
    return this.#tokens ?? NO_TOKENS;
  }

  #counts(): TokenCounts {
    this.#tokens ??= zeroCounts();
    return this.#tokens;
  }

  get spentUsd(): number {
    return this.#spent;
  }

  record(usage: RealtimeResponseUsage | undefined): {
    tokens: TokenCounts;
    cost: Cost | undefined;
  } {
    const tokens = countTokens(usage);
    addCounts(this.#counts(), tokens);
    const cost = priceCounts(tokens, this.model, this.#prices);
    if (cost) {
      this.#spent += cost.usd;
      this.#last = cost.usd;
    }
    return { tokens, cost };
  }

  /** Spend outside the Realtime responses (a delegate's text model): in the session's totals and its budget. */
  add(tokens: TokenCounts, usd: number | undefined): void {
    addCounts(this.#counts(), tokens);
    if (usd) this.#spent += usd;
  }

  /** The projected spend after one more response, when it passes `budgetUsd`; otherwise undefined. */
  wouldExceed(budgetUsd: number | undefined): number | undefined {
    if (budgetUsd === undefined) return undefined;
    const projected = this.#spent + this.#last;
    return projected > budgetUsd ? projected : undefined;
  }
}

type Emit = <K extends "usage" | "response.done" | "budget.exceeded">(
  name: K,
  payload: Parameters<SessionEvents[K]>[0],
) => void;

/**
 * Prices a finished response, reports `usage` and `response.done`, and returns the goodbye detail when the budget
 * would be exceeded (after emitting `budget.exceeded`).
 */
export function settleResponse(
  meter: CostMeter,
  response: RealtimeResponse,
  info: {
    kind: ResponseKind;
    origin: ResponseOrigin;
    budgetUsd: number | undefined;
    ending: boolean;
  },
  emit: Emit,
  /** False when nobody would see `usage`: its payload (a copy of the session's totals) is not built. */
  listens: (name: "usage") => boolean = () => true,
): string | undefined {
  const responseId = response.id ?? "";
  const { kind, origin, budgetUsd } = info;
  const { tokens, cost } = meter.record(response.usage);
  if (listens("usage"))
    emit("usage", {
      responseId,
      kind,
      usage: response.usage,
      tokens,
      cost,
      sessionTokens: { ...meter.tokens },
      sessionCostUsd: meter.spentUsd,
    });
  emit("response.done", { responseId, kind, origin, status: response.status, costUsd: cost?.usd });
  const projected = meter.wouldExceed(budgetUsd);
  if (projected === undefined || budgetUsd === undefined || info.ending) return undefined;
  emit("budget.exceeded", { spentUsd: meter.spentUsd, budgetUsd, projectedUsd: projected });
  return `the cost budget of $${budgetUsd} would be exceeded ($${meter.spentUsd.toFixed(4)} spent)`;
}
