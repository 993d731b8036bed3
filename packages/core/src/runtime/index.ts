export {
  type ConversationEntry,
  ConversationRecord,
  type ConversationSnapshot,
} from "./conversation.ts";
export { RealtimeServerError, SessionError, type SessionErrorCode } from "./errors.ts";
export {
  LOG_CHUNKS,
  STREAM_GATE,
  STREAM_LINES,
  STREAM_SKIPS,
  type StreamEvent,
  type StreamEventType,
  type StreamLineListener,
  type StreamListener,
  type StreamOnlyEvents,
  streamPayload,
} from "./event-stream.ts";
export type {
  CloseReason,
  McpCallEvent,
  ResponseKind,
  SessionClosed,
  SessionEvents,
  SessionUsage,
} from "./events.ts";
export type { HandoffEvent } from "./handoffs.ts";
export {
  DEFAULT_MAX_IMAGE_BYTES,
  type ImageSource,
  imageDataUrl,
  sniffImageType,
} from "./image.ts";
export type { TurnLatency } from "./latency.ts";
export { ResponseQueue } from "./response-queue.ts";
export type { LiveResponse, ResponseOrigin, ResponseQueueOptions } from "./response-types.ts";
export { type CallHandlerFactory, Session } from "./session.ts";
export type { RuntimeSettings } from "./settings.ts";
export { DEFAULT_STALL_GRACE_MS, DEFAULT_STALL_MS } from "./stall-watchdog.ts";
export {
  OPENAI_REALTIME_URL,
  realtimeUrl,
  type StartSessionOptions,
  startSession,
} from "./start-session.ts";
