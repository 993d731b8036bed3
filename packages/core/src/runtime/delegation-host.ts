import type { ResponseUsage } from "openai/resources/responses/responses";
import type {
  DelegatedAnswer,
  DelegationHost,
  DelegationUsage,
  ResponsesClient,
} from "../delegate/host.ts";
import { type Cost, priceCounts, type TokenCounts, zeroCounts } from "../pricing/index.ts";
import type { SessionParts } from "./compose.ts";
import type { ConversationEntry } from "./conversation.ts";

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
 * request the response queue sends once no response is in progress). Made on a session's first delegation.
 */
export class SessionDelegation implements DelegationHost {
  readonly #p: SessionParts;

  constructor(p: SessionParts) {
    this.#p = p;
  }

  get responses(): ResponsesClient {
    return this.#p.init.responsesClient as ResponsesClient;
  }

  history(): readonly ConversationEntry[] {
    return this.#p.conversation.snapshot().items;
  }

  record({ model, usage }: DelegationUsage): { tokens: TokenCounts; cost: Cost | undefined } {
    const tokens = textTokens(usage);
    const cost = priceCounts(tokens, model, this.#p.init.prices);
    this.#p.meter.add(tokens, cost?.usd);
    return { tokens, cost };
  }

  deliver(answer: DelegatedAnswer): void {
    const p = this.#p;
    if (p.delegations().aborted) return;
    p.outbound.send({
      type: "conversation.item.create",
      item: {
        type: "message",
        role: "system",
        content: [{ type: "input_text", text: deliveryText(answer) }],
      },
    });
    p.responses.request({ kind: "answer" });
  }

  /** The session's close signal, made on first use: most sessions never delegate. */
  get closed(): AbortSignal {
    return this.#p.delegations();
  }
}
