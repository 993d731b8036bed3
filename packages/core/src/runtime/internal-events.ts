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

/** What the session does on each internal event: one function per event, shared by every session (no closures). */
export type Reactions<T> = {
  [K in keyof RuntimeEvents]: (target: T, payload: RuntimeEvents[K]) => void;
};

/**
 * What the dispatcher and the parts raise internal events on: the composed session itself, whose `emit` runs the
 * module's shared reactions table (reactions.ts), so a session holds no subscription list and no closure per event.
 */
export interface InternalBus {
  emit<K extends keyof RuntimeEvents>(
    name: K,
    ...payload: RuntimeEvents[K] extends undefined ? [] : [RuntimeEvents[K]]
  ): void;
}
