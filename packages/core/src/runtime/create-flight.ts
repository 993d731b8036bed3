import type { ResponseCreateEvent } from "openai/resources/realtime/realtime";
import type { Clock, TimerHandle } from "../clock/index.ts";
import type { Logger } from "../log/index.ts";
import type { ResponseRequest } from "../scheduler/host.ts";
import { REQUEST_TAG } from "./response-types.ts";

/** Our `response.create` on its way: sent, its `response.created` not seen yet. */
export interface InFlight {
  eventId: string;
  /** Echoed by the server in the response's metadata: how we know the created response is ours. */
  tag: string;
  request: ResponseRequest;
  /** Clock time at which the create is given up on. */
  deadline: number;
  /** Cancel the response as soon as it is created (an interruption came while it was on its way). */
  cancelOnCreate: boolean;
}

/**
 * The one `response.create` in flight, with its timeout: a create the server never acknowledges gives the slot back
 * after `timeoutMs` (`expired` is then told).
 *
 * One timer for all the flights of a session, not one per create: a flight only notes its deadline, and the timer,
 * when it fires, gives up on the flight whose deadline has come or waits out the rest of the current one's. Arming
 * and clearing a timer for every response cost a Timeout object (and its async hooks) twice per tool turn.
 */
export class CreateFlight {
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #expired: (request: ResponseRequest) => void;
  #flight: InFlight | undefined;
  #timer: TimerHandle | undefined;

  constructor(clock: Clock, log: Logger, timeoutMs: number, expired: (r: ResponseRequest) => void) {
    this.#clock = clock;
    this.#log = log;
    this.#timeoutMs = timeoutMs;
    this.#expired = expired;
  }

  get current(): InFlight | undefined {
    return this.#flight;
  }

  /** Builds the create for `request` (tagged, its kind in the metadata) and starts its timeout. */
  start(request: ResponseRequest, tag: string, eventId: string): ResponseCreateEvent {
    const deadline = this.#clock.now() + this.#timeoutMs;
    this.#flight = { eventId, tag, request, deadline, cancelOnCreate: false };
    // A timer still armed for an earlier flight fires before this deadline and waits out the rest.
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
    const response = {
      ...request.response,
      metadata: { ...request.response?.metadata, [REQUEST_TAG]: tag, parley_kind: request.kind },
    };
    return { type: "response.create", event_id: eventId, response };
  }

  /** The flight ended (created, refused, cut off, closed): its timeout no longer applies. Returns what flew. */
  end(): InFlight | undefined {
    const flight = this.#flight;
    this.#flight = undefined;
    return flight;
  }

  /** No more flights (the queue closed): the timer goes too. */
  stop(): void {
    this.#flight = undefined;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#fired(), ms);
  }

  #fired(): void {
    this.#timer = undefined;
    const flight = this.#flight;
    if (!flight) return; // nothing in flight: the next start arms anew
    const left = flight.deadline - this.#clock.now();
    if (left > 0) {
      this.#arm(left);
      return;
    }
    this.#log.warn("no response.created for our response.create; giving the slot back", {
      eventId: flight.eventId,
      timeoutMs: this.#timeoutMs,
    });
    this.#flight = undefined;
    this.#expired(flight.request);
  }
}
