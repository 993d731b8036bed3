import type { ResponseCancelEvent, ResponseCreateEvent } from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { Logger } from "../log/index.ts";
import type { ResponseRequest } from "../scheduler/host.ts";

/** Who asked for a response: this runtime (`client`) or the server itself (VAD `create_response`). */
export type ResponseOrigin = "client" | "server";

/** A response the server has created and not yet finished. */
export interface LiveResponse {
  id: string;
  kind: ResponseRequest["kind"];
  origin: ResponseOrigin;
  /** Out-of-band (`conversation: "none"`): its items are not part of the conversation. */
  outOfBand: boolean;
  cancelled: boolean;
}

export interface ResponseQueueOptions {
  send(event: ResponseCreateEvent | ResponseCancelEvent): void;
  clock: Clock;
  log: Logger;
  /** True when the server starts a response itself after the user stops speaking (VAD with `create_response`). */
  serverCreatesResponses(): boolean;
  /** A request left the queue without a response (stale filler, rejected create, session ending). */
  onDropped?(request: ResponseRequest, reason: string): void;
  /** How long to wait for `response.created` after our `response.create` before giving the slot back. */
  createdTimeoutMs?: number;
  /** How long to hold our requests after `speech_stopped` for the response the server will create. */
  serverResponseWaitMs?: number;
  /**
   * The watchdog: a response with no event for this long (ms) is stalled: it is cancelled and, if the server does not
   * confirm with `response.done` within `stallGraceMs`, its slot is given back. Default 30 s; 0 turns it off.
   */
  stallMs?: number;
  /** How long to wait for the server to confirm the cancel of a stalled response (default 5 s). */
  stallGraceMs?: number;
  /** A response stalled (`cancelling`: its cancel was just sent) or its slot was given back unconfirmed (`released`). */
  onStall?(live: LiveResponse, phase: "cancelling" | "released", idleMs: number): void;
  /** The queue may have become settled (nothing in progress, queued or awaited): the session re-checks its turn. */
  onSettle?(): void;
}

/** Metadata key carrying our request tag, echoed by the server in `response.created`, so we know which is ours. */
export const REQUEST_TAG = "parley_request";

/** A plain answer (no options, no `stillWanted`): queued ones coalesce into one response. */
export function isPlainAnswer(r: ResponseRequest): boolean {
  return r.kind === "answer" && r.response === undefined && r.stillWanted === undefined;
}

/** Asks a request whether it is still wanted; one that throws is not. */
export function safeWanted(r: ResponseRequest, log: Logger): boolean {
  try {
    return r.stillWanted?.() !== false;
  } catch (error) {
    log.warn("stillWanted() threw; dropping the request", { kind: r.kind, error });
    return false;
  }
}
