import type { StreamEvent } from "../runtime/event-stream.ts";
import type { ChunkSummary } from "./chunk-gate.ts";

/** The `type` of a session log's first line: what makes a `.jsonl` file a Parley session log. */
export const SESSION_LOG_TYPE = "parley.session-log";
/**
 * 4: a line's `sessionId` is written only when it differs from the line before (the first line, a rename); readers
 * carry it forward (each event read has it). 3: the session events that are a pure function of one protocol event
 * in the log (DERIVED_EVENTS: `agent.audio`, `agent.transcript.delta`, `user.speech.started`, …) are not written;
 * readSessionLog makes them again. 2: streamed parts may be summed up (`chunks: "first"`, the default): each part's
 * first chunk is a line, the later ones one `log.chunks` line when the part ends. Version 1 logs hold every chunk;
 * all read the same.
 */
export const SESSION_LOG_VERSION = 4;

/**
 * A session log's first line: enough to know what ran without opening anything else. Every later line is one
 * `StreamEvent` (session.onEvent), already redacted, audio as byte counts.
 */
export interface SessionLogHeader {
  type: typeof SESSION_LOG_TYPE;
  version: 1 | 2 | 3 | typeof SESSION_LOG_VERSION;
  /** `first`: a streamed part's later chunks are counted in one `log.chunks` line; `all` (or absent): every chunk. */
  chunks?: "first" | "all";
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

/**
 * A streamed part's chunks after its first, not written one by one (`chunks: "first"`): written when the part ends
 * (its `.done`, its response's `response.done`, an input buffer commit or clear, the session's close). `count`
 * chunks with `bytes` (audio) or `chars` (text) between `first_at` and `last_at`; `max_gap_ms` is the longest wait
 * between two chunks of the part, its first included. `text`: a text part that ended without its `.done`.
 */
export type LogChunksLine = ChunkSummary & {
  type: "log.chunks";
  at: number;
  sessionId: string;
  seq: number;
};

/** One line after the header. */
export type SessionLogEvent = StreamEvent | LogChunksLine;
