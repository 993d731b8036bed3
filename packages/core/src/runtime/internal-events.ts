import type {
  InputAudioBufferSpeechStartedEvent,
  InputAudioBufferSpeechStoppedEvent,
  RealtimeConversationItemFunctionCall,
  RealtimeErrorEvent,
  RealtimeMcpApprovalRequest,
  RealtimeResponse,
  SessionCreatedEvent,
  SessionUpdatedEvent,
} from "openai/resources/realtime/realtime";
import type { LiveResponse } from "./response-types.ts";

/** A response ending, with what the runtime knew of it (absent for one it never saw created). */
export interface ResponseEnd {
  response: RealtimeResponse;
  live: LiveResponse | undefined;
}

/**
 * What the runtime's parts tell each other (never seen by applications: those get SessionEvents). The dispatcher
 * raises the server-side ones; the composition root (compose.ts) decides who reacts.
 */
export interface RuntimeEvents {
  "session.created": SessionCreatedEvent;
  "session.updated": SessionUpdatedEvent;
  "server.error": RealtimeErrorEvent;
  /** The agent's first audio: from now on the API refuses a voice change. */
  "agent.spoke": undefined;
  "speech.started": InputAudioBufferSpeechStartedEvent;
  "speech.stopped": InputAudioBufferSpeechStoppedEvent;
  "function.call": RealtimeConversationItemFunctionCall;
  "approval.request": RealtimeMcpApprovalRequest;
  /** Before the slot is freed: usage, cost and budget (a goodbye then goes first). */
  "response.finishing": ResponseEnd;
  /** After the slot is freed. */
  "response.finished": ResponseEnd;
  /** A response stalled (`cancelling`: its cancel was just sent) or its slot was given back unconfirmed. */
  "response.stalled": { live: LiveResponse; phase: "cancelling" | "released"; idleMs: number };
}

type Handler<K extends keyof RuntimeEvents> = (payload: RuntimeEvents[K]) => void;

/**
 * Typed, synchronous internal events: handlers run in the order they were added, in the emitter's turn (what the
 * dispatcher relies on: a call is routed before the response's usage is settled). A handler that throws is the
 * emitter's problem, as a direct call would be.
 */
export class RuntimeBus {
  readonly #handlers: { [K in keyof RuntimeEvents]?: Handler<K>[] } = {};

  on<K extends keyof RuntimeEvents>(name: K, fn: Handler<K>): void {
    const list = this.#handlers[name] as Handler<K>[] | undefined;
    if (list) list.push(fn);
    else (this.#handlers as Record<K, Handler<K>[]>)[name] = [fn];
  }

  emit<K extends keyof RuntimeEvents>(
    name: K,
    ...payload: RuntimeEvents[K] extends undefined ? [] : [RuntimeEvents[K]]
  ): void {
    const list = this.#handlers[name] as Handler<K>[] | undefined;
    if (!list) return;
    for (const fn of list) fn(payload[0] as RuntimeEvents[K]);
  }
}
