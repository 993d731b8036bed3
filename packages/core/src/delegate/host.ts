import type {
  Response,
  ResponseCreateParamsNonStreaming,
} from "openai/resources/responses/responses";
import type { Cost, TokenCounts } from "../pricing/index.ts";
import type { ConversationEntry } from "../runtime/conversation.ts";

/** The one method of the `openai` client a delegation uses (`client.responses`). */
export interface ResponsesClient {
  create(
    body: ResponseCreateParamsNonStreaming,
    options?: { signal?: AbortSignal },
  ): Promise<Response>;
}

/** One text-model request, for the session's meters. */
export interface DelegationUsage {
  model: string;
  usage: Response["usage"];
  ms: number;
}

/** An async delegation's answer, to be added to the conversation and spoken when the conversation allows. */
export interface DelegatedAnswer {
  callId: string;
  tool: string;
  /** The answer (JSON text for an output schema), or why there is none when `failed`. */
  text: string;
  failed: boolean;
}

/**
 * What the runtime gives delegate tools (through `SchedulerHost.delegation`): the Responses client (same API base
 * and key as the session), the conversation so far, the meters, and the way an async answer reaches the caller.
 */
export interface DelegationHost {
  readonly responses: ResponsesClient;
  /** The conversation so far, in order (what `history:` picks from). */
  history(): readonly ConversationEntry[];
  /** A text-model request finished: count its tokens and cost in the session's meters; returns what it cost. */
  record(usage: DelegationUsage): { tokens: TokenCounts; cost: Cost | undefined };
  /** An async delegation answered: add the answer to the conversation and queue a response that speaks it. */
  deliver(answer: DelegatedAnswer): void;
  /** Aborted when the session ends: async delegations still running stop. */
  readonly closed: AbortSignal;
}
