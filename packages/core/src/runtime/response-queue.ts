import type { RealtimeError, RealtimeResponse } from "openai/resources/realtime/realtime";
import { NONE } from "../collections/lazy.ts";
import type { ResponseQueue as ResponseQueueContract, ResponseRequest } from "../scheduler/host.ts";
import { CreateFlight } from "./create-flight.ts";
import {
  isPlainAnswer,
  type LiveResponse,
  REQUEST_TAG,
  type ResponseQueueOptions,
  safeWanted,
} from "./response-types.ts";
import { DoneWaiters, ServerResponseHold } from "./response-waits.ts";
import { DEFAULT_STALL_GRACE_MS, DEFAULT_STALL_MS, StallWatchdog } from "./stall-watchdog.ts";

/**
 * The only code that sends `response.create`. Invariant: never a create while a response is in progress,
 * where "in progress" spans our create's flight (sent, `response.created` not yet seen), every created response
 * until its `response.done` (ours, out-of-band ones, and those the server starts on VAD), and the moment between
 * the user's `speech_stopped` and the response the server is about to create. While the user speaks nothing is
 * dispatched. Queued plain answers coalesce into one; fillers are asked `stillWanted()` when their turn comes.
 *
 * @example
 * queue.request({ kind: "answer" }); // after a function_call_output
 */
export class ResponseQueue implements ResponseQueueContract {
  readonly #o: ResponseQueueOptions;
  readonly #queue: ResponseRequest[] = [];
  #live: Map<string, LiveResponse> | undefined;
  // The watchdog, the create timeout and the hold for the server's own response are made when first needed (a
  // response, a user's speech): an idle session that has said nothing holds none of them.
  #watchdog: StallWatchdog | undefined;
  readonly #after: DoneWaiters;
  #awaitServer: ServerResponseHold | undefined;
  #flight: CreateFlight | undefined;
  #userSpeaking = false;
  #ending = false;
  #closed = false;
  /** The connection is gone and being restored: requests wait, nothing is sent. */
  #suspended = false;
  #seq = 0;
  #pumping = false;

  constructor(options: ResponseQueueOptions) {
    this.#o = options;
    this.#after = new DoneWaiters(options.log);
  }

  #flightTimer(): CreateFlight {
    const options = this.#o;
    this.#flight ??= new CreateFlight(
      options.clock,
      options.log,
      options.createdTimeoutMs ?? 15_000,
      (r) => {
        this.#o.onDropped?.(r, "no response.created in time");
        this.#pump();
      },
    );
    return this.#flight;
  }

  #serverHold(): ServerResponseHold {
    // The server decided not to answer after the user's speech: stop holding.
    this.#awaitServer ??= new ServerResponseHold(
      this.#o.clock,
      this.#o.serverResponseWaitMs ?? 1_500,
      () => this.#pump(),
    );
    return this.#awaitServer;
  }

  #stallWatch(): StallWatchdog {
    const options = this.#o;
    this.#watchdog ??= new StallWatchdog({
      clock: options.clock,
      stallMs: options.stallMs ?? DEFAULT_STALL_MS,
      graceMs: options.stallGraceMs ?? DEFAULT_STALL_GRACE_MS,
      live: (id) => this.#live?.has(id) === true,
      stalled: (id, idle) => this.#stalled(id, idle),
      unconfirmed: (id, idle) => this.#release(id, idle),
    });
    return this.#watchdog;
  }

  get inProgress(): boolean {
    return this.#flight?.current !== undefined || (this.#live?.size ?? 0) > 0;
  }

  /** Responses in progress right now (at most one, by construction). */
  get live(): readonly LiveResponse[] {
    return [...(this.#live?.values() ?? NONE)];
  }

  afterResponse(fn: () => void): boolean {
    let id: string | undefined;
    for (const key of this.#live?.keys() ?? NONE) id = key; // the newest: the one whose output is arriving
    if (id === undefined) return false;
    this.#after.add(id, fn);
    return true;
  }

  get queued(): number {
    return this.#queue.length;
  }

  get userSpeaking(): boolean {
    return this.#userSpeaking;
  }

  /**
   * Nothing in progress, nothing queued, the user silent and no server response awaited after their speech: as far
   * as responses go, the turn is over.
   */
  get settled(): boolean {
    return (
      !this.inProgress &&
      this.#queue.length === 0 &&
      !this.#userSpeaking &&
      !this.#awaitServer?.holding
    );
  }

  request(req: ResponseRequest): void {
    if (this.#closed || (this.#ending && req.kind !== "goodbye")) {
      this.#o.onDropped?.(req, this.#closed ? "session closed" : "session ending");
      return;
    }
    if (isPlainAnswer(req) && this.#queue.some(isPlainAnswer)) return; // coalesced into the queued one
    this.#queue.push(req);
    this.#pump();
  }

  /** Ends the session's talking: drops everything queued and says `goodbye` as soon as the slot is free. */
  endWith(goodbye: ResponseRequest): void {
    if (this.#closed) return;
    this.#ending = true;
    for (const r of this.#queue.splice(0)) this.#o.onDropped?.(r, "session ending");
    this.#queue.push(goodbye);
    this.#pump();
  }

  userSpeechStarted(): void {
    this.#userSpeaking = true;
  }

  userSpeechStopped(): void {
    this.#userSpeaking = false;
    if (this.#o.serverCreatesResponses() && !this.#closed) this.#serverHold().start();
    this.#pump();
  }

  /** `response.created`: returns what the runtime knows about the response (kind, origin). */
  responseCreated(response: RealtimeResponse): LiveResponse {
    const id = response.id ?? `unknown_${++this.#seq}`;
    const tag = response.metadata?.[REQUEST_TAG];
    const pending = this.#flight?.current;
    // Without an echoed tag, a created response is ours only if we are not waiting for one the server starts.
    const ours =
      pending !== undefined &&
      (tag === pending.tag || (tag === undefined && !this.#awaitServer?.holding));
    let live: LiveResponse;
    if (ours && pending) {
      this.#flight?.end();
      live = {
        id,
        kind: pending.request.kind,
        origin: "client",
        outOfBand: pending.request.response?.conversation === "none",
        cancelled: false,
      };
      this.#liveOf().set(id, live);
      if (pending.cancelOnCreate) this.cancel();
    } else {
      live = { id, kind: "answer", origin: "server", outOfBand: false, cancelled: false };
      this.#liveOf().set(id, live);
      this.#awaitServer?.clear();
      // The server's response sees the whole conversation: plain answers queued before it are answered by it.
      for (let i = this.#queue.length - 1; i >= 0; i--) {
        const r = this.#queue[i] as ResponseRequest;
        if (isPlainAnswer(r)) this.#queue.splice(i, 1);
      }
    }
    // Events still arrive while the socket closes: a closed queue arms no timer (it would hold the session for 30 s).
    if (!this.#closed) this.#stallWatch().watch(live.id);
    return live;
  }

  /** An event of a response in progress arrived: it is alive (the watchdog's clock restarts). Cheap: no timer work. */
  touch(responseId: string, at: number): void {
    this.#watchdog?.touch(responseId, at);
  }

  /** `response.done`: frees the slot and dispatches the next request. */
  responseDone(response: RealtimeResponse): LiveResponse | undefined {
    const id = response.id ?? "";
    const live = this.#live?.get(id);
    this.#live?.delete(id);
    this.#watchdog?.stop(id);
    this.#after.finished(id);
    this.#pump();
    return live;
  }

  /**
   * A server `error`. When it names our in-flight create, the slot is given back: a collision
   * (`conversation_already_has_active_response`) re-queues the request at the front, anything else drops it.
   * Returns true when the error was about our create.
   */
  serverError(error: RealtimeError): boolean {
    const pending = this.#flight?.current;
    if (!pending || !error.event_id || error.event_id !== pending.eventId) return false;
    this.#flight?.end();
    if (error.code === "conversation_already_has_active_response")
      this.#queue.unshift(pending.request);
    else
      this.#o.onDropped?.(
        pending.request,
        `rejected by the server: ${error.code ?? error.message}`,
      );
    this.#pump();
    return true;
  }

  /**
   * Cancels the responses in progress that `which` selects (default all): now, or for our in-flight create, as soon
   * as the server acknowledges it.
   */
  cancel(which: (live: LiveResponse) => boolean = () => true): void {
    const pending = this.#flight?.current;
    if (
      pending &&
      which({
        id: "",
        kind: pending.request.kind,
        origin: "client",
        outOfBand: pending.request.response?.conversation === "none",
        cancelled: false,
      })
    ) {
      pending.cancelOnCreate = true;
    }
    for (const live of this.#live?.values() ?? NONE) {
      if (live.cancelled || !which(live)) continue;
      live.cancelled = true;
      this.#o.send({
        type: "response.cancel",
        event_id: this.#eventId("cancel"),
        response_id: live.id,
      });
    }
  }

  /**
   * The connection dropped: responses in progress (and our create in flight) are gone with it; requests made from
   * now on wait until `resume()`. Returns true when a response (or our request for one) was cut off, so the restored
   * session can ask again: the caller must not be left without the answer.
   */
  suspend(): boolean {
    this.#suspended = true;
    const pending = this.#flight?.end();
    const cut =
      pending !== undefined || [...(this.#live?.values() ?? NONE)].some((r) => !r.outOfBand);
    // A goodbye or greeting in flight is asked again; a plain answer is asked again by the caller (coalesced).
    if (pending && pending.request.kind !== "answer" && pending.request.kind !== "filler")
      this.#queue.unshift(pending.request);
    this.#watchdog?.stopAll();
    const gone = [...(this.#live?.keys() ?? NONE)];
    this.#live?.clear();
    this.#awaitServer?.clear();
    this.#userSpeaking = false;
    // Fillers are about a moment that has passed.
    for (let i = this.#queue.length - 1; i >= 0; i--)
      if (this.#queue[i]?.kind === "filler")
        this.#o.onDropped?.(this.#queue.splice(i, 1)[0] as ResponseRequest, "connection lost");
    // A response cut off by the drop is over for good (its response.done will never come): what waited for its end
    // (the answer about the tool calls it asked for) goes on now; requests it makes wait for resume().
    for (const id of gone) this.#after.finished(id);
    return cut;
  }

  /** The connection is back: waiting requests go out, one at a time as ever. */
  resume(): void {
    this.#suspended = false;
    this.#pump();
  }

  /** True while the connection is being restored. */
  get suspended(): boolean {
    return this.#suspended;
  }

  /** Drops everything; later requests are refused. */
  close(): void {
    this.#closed = true;
    this.#flight?.stop();
    this.#awaitServer?.clear();
    for (const r of this.#queue.splice(0)) this.#o.onDropped?.(r, "session closed");
    this.#watchdog?.stopAll();
    this.#live?.clear();
    this.#after.clear();
  }

  /** The watchdog found a response quiet for too long: cancel it (the server should confirm with response.done). */
  #stalled(id: string, idle: number): void {
    const live = this.#live?.get(id);
    if (!live) return;
    this.#o.log.warn("a response stalled: no event for it; cancelling it", { id, idleMs: idle });
    this.#o.onStall?.(live, "cancelling", idle);
    if (live.cancelled) return;
    live.cancelled = true;
    this.#o.send({ type: "response.cancel", event_id: this.#eventId("cancel"), response_id: id });
  }

  /** The server never confirmed the cancel: give the slot back so the conversation can go on. */
  #release(id: string, idle: number): void {
    const live = this.#live?.get(id);
    if (!live) return;
    this.#live?.delete(id);
    this.#o.log.warn("a stalled response was never confirmed done; its slot is given back", { id });
    this.#o.onStall?.(live, "released", idle);
    this.#after.finished(id);
    this.#pump();
  }

  #pump(): void {
    if (this.#pumping) return; // a stillWanted() that requests again must not re-enter
    this.#pumping = true;
    try {
      while (
        !this.#closed &&
        !this.#suspended &&
        !this.inProgress &&
        !this.#userSpeaking &&
        !this.#awaitServer?.holding
      ) {
        const next = this.#queue.shift();
        if (!next) return;
        if (next.stillWanted && !safeWanted(next, this.#o.log)) {
          this.#o.onDropped?.(next, "no longer wanted");
          continue;
        }
        if (next.kind === "answer") {
          // Queued answers coalesce: one response answers every tool output that is waiting.
          for (let i = this.#queue.length - 1; i >= 0; i--)
            if (this.#queue[i]?.kind === "answer") this.#queue.splice(i, 1);
        }
        this.#dispatch(next);
      }
    } finally {
      this.#pumping = false;
      // Every path that frees the slot or empties the queue ends in a pump: the one place to report it.
      this.#o.onSettle?.();
    }
  }

  #dispatch(request: ResponseRequest): void {
    this.#o.send(this.#flightTimer().start(request, `r${++this.#seq}`, this.#eventId("response")));
  }

  #eventId(what: string): string {
    return `parley_${what}_${++this.#seq}`;
  }

  /** `#live`, made on the first write (most sessions never write to it). */
  #liveOf(): Map<string, LiveResponse> {
    this.#live ??= new Map();
    return this.#live;
  }
}
