export type { ChunkSummary } from "./chunk-gate.ts";
export { DERIVED_EVENTS, deriveEvents } from "./derive.ts";
export {
  type LogChunksLine,
  SESSION_LOG_TYPE,
  SESSION_LOG_VERSION,
  type SessionLogEvent,
  type SessionLogHeader,
} from "./format.ts";
export { hashFiles } from "./hash.ts";
export {
  parseSessionLog,
  readSessionLog,
  type SessionLog,
  SessionLogError,
  type SessionLogErrorCode,
} from "./read.ts";
export { openSessionLog, type SessionLogOptions, SessionLogWriter } from "./writer.ts";
