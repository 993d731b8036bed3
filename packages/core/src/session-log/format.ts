import type { StreamEvent } from "../runtime/event-stream.ts";

/** The `type` of a session log's first line: what makes a `.jsonl` file a Parley session log. */
export const SESSION_LOG_TYPE = "parley.session-log";
export const SESSION_LOG_VERSION = 1;

/**
 * A session log's first line: enough to know what ran without opening anything else. Every later line is one
 * `StreamEvent` (session.onEvent), already redacted, audio as byte counts.
 */
export interface SessionLogHeader {
  type: typeof SESSION_LOG_TYPE;
  version: typeof SESSION_LOG_VERSION;
  /** The log's id: its file name without `.jsonl`. */
  id: string;
  /** The agent the session started with. */
  agent: string;
  /** Its file (absolute). */
  file: string;
  /** The agent's files (absolute): the file, its bases, handlers, packs' local files. */
  files: string[];
  /** `sha256:<hex>` of the agent's files (the file, its bases, handlers, packs' local files), in order. */
  hash: string;
  model: string;
  /** Wall-clock start (ISO 8601). */
  startedAt: string;
  /** The session clock's reading at `startedAt` (events' `at` are on that clock, in ms). */
  clockAt: number;
  /** The session's variables, redacted. */
  variables: Record<string, unknown>;
  /** The process writing the log: a log whose session has not ended is still being written while it runs. */
  writer?: { pid: number; host: string };
  /** Raw audio kept beside the log (`--log-audio`): file names relative to the log's folder, and their format. */
  audio?: { format: string; user: string; agent: string };
}

/** One line after the header. */
export type SessionLogEvent = StreamEvent;
