import type {
  RealtimeClientEvent,
  RealtimeResponseCreateParams,
} from "openai/resources/realtime/realtime";
import { VirtualClock } from "../../clock/index.ts";
import type { ToolSessionControl } from "../../tool/index.ts";
import type { SchedulerEvent } from "../events.ts";
import type { ResponseQueue, ResponseRequest, SchedulerHost } from "../host.ts";

/** One response the queue started. */
export interface StartedResponse {
  kind: ResponseRequest["kind"] | "server";
  response: RealtimeResponseCreateParams | undefined;
  at: number;
  endAt: number;
}

/**
 * A response queue with the runtime queue's contract, on a virtual clock: one response at a time, each lasting
 * `responseMs`; nothing starts while the user speaks; queued answers coalesce; `stillWanted` is asked at dispatch.
 */
export class RecordingQueue implements ResponseQueue {
  readonly started: StartedResponse[] = [];
  readonly dropped: ResponseRequest[] = [];
  readonly #host: RecordingHost;
  readonly #responseMs: number;
  #queue: ResponseRequest[] = [];
  #current: StartedResponse | undefined;
  #after: (() => void)[] = [];
  #heldUntil = 0;

  constructor(host: RecordingHost, responseMs: number) {
    this.#host = host;
    this.#responseMs = responseMs;
  }

  get inProgress(): boolean {
    return this.#current !== undefined;
  }

  get queued(): number {
    return this.#queue.length;
  }

  afterResponse(fn: () => void): boolean {
    if (!this.#current) return false;
    this.#after.push(fn);
    return true;
  }

  request(req: ResponseRequest): void {
    if (req.kind === "answer" && this.#queue.some((r) => r.kind === "answer")) return;
    this.#queue.push(req);
    this.pump();
  }

  /** A response the server starts on its own (the one that carried the function calls, or a VAD turn). */
  serverResponse(ms = this.#responseMs): void {
    if (this.#current) throw new Error("test bug: a response is already in progress");
    this.#begin({ kind: "server", response: undefined }, ms);
  }

  /**
   * Holds dispatch without a response in progress until `ms` from now: what the runtime queue does after the user
   * stops speaking, while it waits for the response the server is about to create.
   */
  hold(ms: number): void {
    this.#heldUntil = this.#host.clock.now() + ms;
    this.#host.clock.setTimeout(() => this.pump(), ms);
  }

  pump(): void {
    while (
      !this.#current &&
      !this.#host.userSpeaking &&
      this.#host.clock.now() >= this.#heldUntil
    ) {
      const next = this.#queue.shift();
      if (!next) return;
      if (next.stillWanted && !next.stillWanted()) {
        this.dropped.push(next);
        continue;
      }
      if (next.kind === "answer") this.#queue = this.#queue.filter((r) => r.kind !== "answer");
      this.#begin({ kind: next.kind, response: next.response }, this.#responseMs);
    }
  }

  #begin(
    what: { kind: StartedResponse["kind"]; response: RealtimeResponseCreateParams | undefined },
    ms: number,
  ): void {
    const now = this.#host.clock.now();
    const started = { ...what, at: now, endAt: now + ms };
    this.started.push(started);
    this.#host.timeline.push({
      what: "response",
      kind: what.kind,
      callId: what.response?.metadata?.call_id,
      at: now,
    });
    this.#current = started;
    this.#host.clock.setTimeout(() => {
      this.#current = undefined;
      for (const fn of this.#after.splice(0)) fn();
      this.pump();
    }, ms);
  }
}

/**
 * A SchedulerHost that records everything on a virtual clock: for testing tools, fillers and approvals with the
 * real ToolScheduler and no socket.
 *
 * @example
 * const host = new RecordingHost();
 * const scheduler = new ToolScheduler(host, { tools: [lookupBooking] });
 * scheduler.onFunctionCall({ type: "function_call", call_id: "c1", name: "lookup_booking", arguments: '{"reference":"AB12"}' });
 * await host.clock.advance(5000);
 * host.fillersStarted(); // [{ at: 1500, … }]
 * host.outputOf("c1");   // { status: "confirmed" }
 */
export class RecordingHost implements SchedulerHost {
  readonly clock = new VirtualClock();
  readonly sent: RealtimeClientEvent[] = [];
  readonly events: SchedulerEvent[] = [];
  readonly responses: RecordingQueue;
  variables: Record<string, unknown> = {};
  userSpeaking = false;
  session: ToolSessionControl | undefined;
  readonly #sentAt = new WeakMap<RealtimeClientEvent, number>();
  /** Outputs sent and responses started, in the order they happened. */
  readonly timeline: {
    what: "output" | "response";
    kind?: string;
    callId: string | undefined;
    at: number;
  }[] = [];

  constructor(options: { responseMs?: number } = {}) {
    this.responses = new RecordingQueue(this, options.responseMs ?? 1000);
  }

  send(event: RealtimeClientEvent): void {
    this.sent.push(event);
    this.#sentAt.set(event, this.clock.now());
    if (event.type === "conversation.item.create" && event.item.type === "function_call_output") {
      this.timeline.push({ what: "output", callId: event.item.call_id, at: this.clock.now() });
    }
  }

  emit(event: SchedulerEvent): void {
    this.events.push(event);
  }

  /** `function_call_output` items sent, in order. */
  outputs(): { callId: string; output: string; at: number }[] {
    const out: { callId: string; output: string; at: number }[] = [];
    for (const e of this.sent) {
      if (e.type === "conversation.item.create" && e.item.type === "function_call_output") {
        out.push({ callId: e.item.call_id, output: e.item.output, at: this.#sentAt.get(e) ?? -1 });
      }
    }
    return out;
  }

  /** The parsed output of one call (throws when it has none or more than one). */
  outputOf(callId: string): unknown {
    const outs = this.outputs().filter((o) => o.callId === callId);
    if (outs.length !== 1)
      throw new Error(`expected exactly one output for ${callId}, got ${outs.length}`);
    const text = (outs[0] as { output: string }).output;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  /** Fillers started (not merely requested), with the call they were for. */
  fillersStarted(): (StartedResponse & { callId: string })[] {
    return this.responses.started
      .filter((r) => r.kind === "filler")
      .map((r) => ({ ...r, callId: String(r.response?.metadata?.call_id) }));
  }

  answersStarted(): StartedResponse[] {
    return this.responses.started.filter((r) => r.kind === "answer");
  }
}
