import type {
  RealtimeError,
  RealtimeResponse,
  ResponseCancelEvent,
  ResponseCreateEvent,
} from "openai/resources/realtime/realtime";
import type { Clock, TimerHandle } from "../clock/index.ts";
import type { Logger } from "../log/index.ts";
import type { ResponseQueue as ResponseQueueContract, ResponseRequest } from "../scheduler/host.ts";

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

/** Defaults of the stalled-response watchdog. */
export const DEFAULT_STALL_MS = 30_000;
export const DEFAULT_STALL_GRACE_MS = 5_000;

interface Watch {
  /** Clock time of the response's latest event. */
  last: number;
  timer: TimerHandle;
  stalled: boolean;
}

/** Metadata key carrying our request tag, echoed by the server in `response.created`, so we know which is ours. */
export const REQUEST_TAG = "parley_request";

interface Pending {
  eventId: string;
  tag: string;
  request: ResponseRequest;
  timer: TimerHandle;
  cancelOnCreate: boolean;
}

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
  readonly #live = new Map<string, LiveResponse>();
  readonly #watch = new Map<string, Watch>();
  /** What waits for a live response to be done (the scheduler's answer for the calls that response asked). */
  readonly #after = new Map<string, (() => void)[]>();
  #pending: Pending | undefined;
  #userSpeaking = false;
  #awaitServer: TimerHandle | undefined;
  #ending = false;
  #closed = false;
  /** The connection is gone and being restored: requests wait, nothing is sent. */
  #suspended = false;
  #seq = 0;
  #pumping = false;

  constructor(options: ResponseQueueOptions) {
    this.#o = options;
  }

  get inProgress(): boolean {
    return this.#pending !== undefined || this.#live.size > 0;
  }

  /** Responses in progress right now (at most one, by construction). */
  get live(): readonly LiveResponse[] {
    return [...this.#live.values()];
  }

  afterResponse(fn: () => void): boolean {
    let id: string | undefined;
    for (const key of this.#live.keys()) id = key; // the newest: the one whose output is arriving
    if (id === undefined) return false;
    const waiting = this.#after.get(id);
    if (waiting) waiting.push(fn);
    else this.#after.set(id, [fn]);
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
      this.#awaitServer === undefined
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
    if (this.#o.serverCreatesResponses() && !this.#closed) this.#expectServerResponse();
    this.#pump();
  }

  /** `response.created`: returns what the runtime knows about the response (kind, origin). */
  responseCreated(response: RealtimeResponse): LiveResponse {
    const id = response.id ?? `unknown_${++this.#seq}`;
    const tag = response.metadata?.[REQUEST_TAG];
    const pending = this.#pending;
    // Without an echoed tag, a created response is ours only if we are not waiting for one the server starts.
    const ours =
      pending !== undefined &&
      (tag === pending.tag || (tag === undefined && this.#awaitServer === undefined));
    let live: LiveResponse;
    if (ours && pending) {
      this.#o.clock.clearTimeout(pending.timer);
      this.#pending = undefined;
      live = {
        id,
        kind: pending.request.kind,
        origin: "client",
        outOfBand: pending.request.response?.conversation === "none",
        cancelled: false,
      };
      this.#live.set(id, live);
      if (pending.cancelOnCreate) this.cancel();
    } else {
      live = { id, kind: "answer", origin: "server", outOfBand: false, cancelled: false };
      this.#live.set(id, live);
      this.#clearAwaitServer();
      // The server's response sees the whole conversation: plain answers queued before it are answered by it.
      for (let i = this.#queue.length - 1; i >= 0; i--) {
        const r = this.#queue[i] as ResponseRequest;
        if (isPlainAnswer(r)) this.#queue.splice(i, 1);
      }
    }
    // Events still arrive while the socket closes: a closed queue arms no timer (it would hold the session for 30 s).
    if (!this.#closed) this.#startWatch(live.id);
    return live;
  }

  /** An event of a response in progress arrived: it is alive (the watchdog's clock restarts). Cheap: no timer work. */
  touch(responseId: string): void {
    const watch = this.#watch.get(responseId);
    if (watch) watch.last = this.#o.clock.now();
  }

  /** `response.done`: frees the slot and dispatches the next request. */
  responseDone(response: RealtimeResponse): LiveResponse | undefined {
    const id = response.id ?? "";
    const live = this.#live.get(id);
    this.#live.delete(id);
    this.#stopWatch(id);
    this.#finished(id);
    this.#pump();
    return live;
  }

  /**
   * A server `error`. When it names our in-flight create, the slot is given back: a collision
   * (`conversation_already_has_active_response`) re-queues the request at the front, anything else drops it.
   * Returns true when the error was about our create.
   */
  serverError(error: RealtimeError): boolean {
    const pending = this.#pending;
    if (!pending || !error.event_id || error.event_id !== pending.eventId) return false;
    this.#o.clock.clearTimeout(pending.timer);
    this.#pending = undefined;
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
    if (
      this.#pending &&
      which({
        id: "",
        kind: this.#pending.request.kind,
        origin: "client",
        outOfBand: this.#pending.request.response?.conversation === "none",
        cancelled: false,
      })
    ) {
      this.#pending.cancelOnCreate = true;
    }
    for (const live of this.#live.values()) {
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
    const cut = this.#pending !== undefined || [...this.#live.values()].some((r) => !r.outOfBand);
    if (this.#pending) {
      this.#o.clock.clearTimeout(this.#pending.timer);
      // A goodbye or greeting in flight is asked again; a plain answer is asked again by the caller (coalesced).
      if (this.#pending.request.kind !== "answer" && this.#pending.request.kind !== "filler")
        this.#queue.unshift(this.#pending.request);
    }
    this.#pending = undefined;
    for (const id of [...this.#watch.keys()]) this.#stopWatch(id);
    const gone = [...this.#live.keys()];
    this.#live.clear();
    this.#clearAwaitServer();
    this.#userSpeaking = false;
    // Fillers are about a moment that has passed.
    for (let i = this.#queue.length - 1; i >= 0; i--)
      if (this.#queue[i]?.kind === "filler")
        this.#o.onDropped?.(this.#queue.splice(i, 1)[0] as ResponseRequest, "connection lost");
    // A response cut off by the drop is over for good (its response.done will never come): what waited for its end
    // (the answer about the tool calls it asked for) goes on now; requests it makes wait for resume().
    for (const id of gone) this.#finished(id);
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
    if (this.#pending) this.#o.clock.clearTimeout(this.#pending.timer);
    this.#pending = undefined;
    this.#clearAwaitServer();
    for (const r of this.#queue.splice(0)) this.#o.onDropped?.(r, "session closed");
    for (const id of [...this.#watch.keys()]) this.#stopWatch(id);
    this.#live.clear();
    this.#after.clear();
  }

  #startWatch(id: string): void {
    const ms = this.#o.stallMs ?? DEFAULT_STALL_MS;
    if (!(ms > 0)) return;
    this.#stopWatch(id);
    const now = this.#o.clock.now();
    // One timer per response, re-armed only when it fires: events just stamp `last`, so streaming costs nothing.
    const watch: Watch = { last: now, stalled: false, timer: undefined as unknown as TimerHandle };
    watch.timer = this.#o.clock.setTimeout(() => this.#check(id, watch), ms);
    this.#watch.set(id, watch);
  }

  #stopWatch(id: string): void {
    const watch = this.#watch.get(id);
    if (!watch) return;
    this.#o.clock.clearTimeout(watch.timer);
    this.#watch.delete(id);
  }

  #check(id: string, watch: Watch): void {
    if (this.#watch.get(id) !== watch) return;
    const live = this.#live.get(id);
    if (!live) {
      this.#watch.delete(id);
      return;
    }
    const { clock } = this.#o;
    const ms = this.#o.stallMs ?? DEFAULT_STALL_MS;
    const idle = clock.now() - watch.last;
    if (!watch.stalled) {
      if (idle < ms) {
        watch.timer = clock.setTimeout(() => this.#check(id, watch), ms - idle);
        return;
      }
      watch.stalled = true;
      this.#o.log.warn("a response stalled: no event for it; cancelling it", { id, idleMs: idle });
      this.#o.onStall?.(live, "cancelling", idle);
      if (!live.cancelled) {
        live.cancelled = true;
        this.#o.send({
          type: "response.cancel",
          event_id: this.#eventId("cancel"),
          response_id: id,
        });
      }
      watch.timer = clock.setTimeout(
        () => this.#check(id, watch),
        this.#o.stallGraceMs ?? DEFAULT_STALL_GRACE_MS,
      );
      return;
    }
    // The server never confirmed the cancel: give the slot back so the conversation can go on.
    this.#watch.delete(id);
    this.#live.delete(id);
    this.#o.log.warn("a stalled response was never confirmed done; its slot is given back", { id });
    this.#o.onStall?.(live, "released", idle);
    this.#finished(id);
    this.#pump();
  }

  #finished(id: string): void {
    const waiting = this.#after.get(id);
    if (!waiting) return;
    this.#after.delete(id);
    for (const fn of waiting) {
      try {
        fn();
      } catch (error) {
        this.#o.log.warn("a wait for response.done threw", { id, error });
      }
    }
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
        this.#awaitServer === undefined
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
    const tag = `r${++this.#seq}`;
    const eventId = this.#eventId("response");
    const response = {
      ...request.response,
      metadata: { ...request.response?.metadata, [REQUEST_TAG]: tag, parley_kind: request.kind },
    };
    const timeoutMs = this.#o.createdTimeoutMs ?? 15_000;
    const timer = this.#o.clock.setTimeout(() => {
      if (this.#pending?.eventId !== eventId) return;
      this.#o.log.warn("no response.created for our response.create; giving the slot back", {
        eventId,
        timeoutMs,
      });
      this.#pending = undefined;
      this.#o.onDropped?.(request, "no response.created in time");
      this.#pump();
    }, timeoutMs);
    this.#pending = { eventId, tag, request, timer, cancelOnCreate: false };
    this.#o.send({ type: "response.create", event_id: eventId, response });
  }

  #expectServerResponse(): void {
    this.#clearAwaitServer();
    this.#awaitServer = this.#o.clock.setTimeout(() => {
      // The server decided not to answer (empty audio, or create_response turned off): stop holding.
      this.#awaitServer = undefined;
      this.#pump();
    }, this.#o.serverResponseWaitMs ?? 1_500);
  }

  #clearAwaitServer(): void {
    if (this.#awaitServer === undefined) return;
    this.#o.clock.clearTimeout(this.#awaitServer);
    this.#awaitServer = undefined;
  }

  #eventId(what: string): string {
    return `parley_${what}_${++this.#seq}`;
  }
}

function isPlainAnswer(r: ResponseRequest): boolean {
  return r.kind === "answer" && r.response === undefined && r.stillWanted === undefined;
}

function safeWanted(r: ResponseRequest, log: Logger): boolean {
  try {
    return r.stillWanted?.() !== false;
  } catch (error) {
    log.warn("stillWanted() threw; dropping the request", { kind: r.kind, error });
    return false;
  }
}
