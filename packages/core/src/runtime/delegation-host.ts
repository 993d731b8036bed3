import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import type { ResponseUsage } from "openai/resources/responses/responses";
import type { DelegatedAnswer, DelegationHost, ResponsesClient } from "../delegate/host.ts";
import { type PriceTable, priceCounts, type TokenCounts, zeroCounts } from "../pricing/index.ts";
import type { ConversationRecord } from "./conversation.ts";
import type { CostMeter } from "./meter.ts";
import type { ResponseQueue } from "./response-queue.ts";

/** A text model's usage as the meter's token lines (text only; the cached part of the input apart). */
export function textTokens(usage: ResponseUsage | undefined): TokenCounts {
  const counts = zeroCounts();
  if (!usage) return counts;
  const cached = usage.input_tokens_details?.cached_tokens ?? 0;
  counts.textCachedInput = cached;
  counts.textInput = Math.max(0, usage.input_tokens - cached);
  counts.textOutput = usage.output_tokens;
  return counts;
}

/**
 * The message an async delegation's answer enters the conversation as: a system item the voice model reads on its
 * next response. The local server's rules model recognises the first words ("Answer from <tool>").
 */
export function deliveryText(answer: DelegatedAnswer): string {
  return answer.failed
    ? `No answer from ${answer.tool} to the caller's earlier request (${answer.text}). Apologise and offer another way.`
    : `Answer from ${answer.tool} to the caller's earlier request; tell the caller now:\n${answer.text}`;
}

/**
 * What the runtime gives delegate tools: the Responses client, the conversation, the meter (text-model tokens and
 * dollars join the session's totals and its budget), and delivery of async answers (a system item, then an answer
 * request the response queue sends once no response is in progress).
 */
export function delegationHost(deps: {
  client: ResponsesClient;
  conversation: ConversationRecord;
  meter: CostMeter;
  prices: PriceTable;
  send: (event: RealtimeClientEvent) => void;
  responses: ResponseQueue;
  /** The session's close signal, made on first use: most sessions never delegate. */
  closed: () => AbortSignal;
}): DelegationHost {
  return {
    responses: deps.client,
    history: () => deps.conversation.snapshot().items,
    record: ({ model, usage }) => {
      const tokens = textTokens(usage);
      const cost = priceCounts(tokens, model, deps.prices);
      deps.meter.add(tokens, cost?.usd);
      return { tokens, cost };
    },
    deliver: (answer) => {
      if (deps.closed().aborted) return;
      deps.send({
        type: "conversation.item.create",
        item: {
          type: "message",
          role: "system",
          content: [{ type: "input_text", text: deliveryText(answer) }],
        },
      });
      deps.responses.request({ kind: "answer" });
    },
    get closed() {
      return deps.closed();
    },
  };
}
