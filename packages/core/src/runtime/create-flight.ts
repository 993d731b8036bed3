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
  timer: TimerHandle;
  /** Cancel the response as soon as it is created (an interruption came while it was on its way). */
  cancelOnCreate: boolean;
}

/**
 * The one `response.create` in flight, with its timeout: a create the server never acknowledges gives the slot back
 * after `timeoutMs` (`expired` is then told).
 */
export class CreateFlight {
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #expired: (request: ResponseRequest) => void;
  #flight: InFlight | undefined;

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
    const timeoutMs = this.#timeoutMs;
    const timer = this.#clock.setTimeout(() => {
      if (this.#flight?.eventId !== eventId) return;
      this.#log.warn("no response.created for our response.create; giving the slot back", {
        eventId,
        timeoutMs,
      });
      this.#flight = undefined;
      this.#expired(request);
    }, timeoutMs);
    this.#flight = { eventId, tag, request, timer, cancelOnCreate: false };
    const response = {
      ...request.response,
      metadata: { ...request.response?.metadata, [REQUEST_TAG]: tag, parley_kind: request.kind },
    };
    return { type: "response.create", event_id: eventId, response };
  }

  /** The flight ended (created, refused, cut off, closed): its timeout goes; returns what was in flight. */
  end(): InFlight | undefined {
    const flight = this.#flight;
    if (flight) this.#clock.clearTimeout(flight.timer);
    this.#flight = undefined;
    return flight;
  }
}
