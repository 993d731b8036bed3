import { readFile } from "node:fs/promises";
import { ParleyError } from "../errors/index.ts";
import { deriveEvents } from "./derive.ts";
import { SESSION_LOG_TYPE, type SessionLogEvent, type SessionLogHeader } from "./format.ts";

export type SessionLogErrorCode = "log_malformed" | "log_not_session_log" | "log_unreadable";

/** A session log that cannot be read: where (file:line:col) and why. */
export class SessionLogError extends ParleyError<SessionLogErrorCode> {
  constructor(
    code: SessionLogErrorCode,
    message: string,
    options?: ConstructorParameters<typeof ParleyError>[2],
  ) {
    super(code, message, options);
  }
}

export interface SessionLog {
  file: string;
  header: SessionLogHeader;
  events: SessionLogEvent[];
}

/**
 * Reads a session log (SessionLogWriter's file). Every line must be JSON: a malformed or truncated line (a crash
 * mid-write) is a SessionLogError at its `file:line:col`, as is a file whose first line is not a session log header.
 * The events are those of the session's stream whatever the log's version: a version-3 log's derived events
 * (DERIVED_EVENTS) are made again from the protocol events they come from (deriveEvents).
 *
 * @example
 * const { header, events } = await readSessionLog(".parley/logs/2026-12-01T10-00-00-000Z-concierge-a1b2c3.jsonl");
 */
export async function readSessionLog(file: string): Promise<SessionLog> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new SessionLogError("log_unreadable", `${file}: cannot read the log (${reason})`, {
      cause: error,
    });
  }
  return parseSessionLog(text, file);
}

/** Parses a session log's text (see readSessionLog). */
export function parseSessionLog(text: string, file: string): SessionLog {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let header: SessionLogHeader | undefined;
  const events: SessionLogEvent[] = [];
  for (const [i, line] of lines.entries()) {
    const cutShort = i === lines.length - 1 && !text.endsWith("\n");
    const value = parseLine(line, file, i + 1, cutShort, i > 0);
    if (i === 0) {
      if (value.type !== SESSION_LOG_TYPE)
        throw new SessionLogError(
          "log_not_session_log",
          `${file}:1:1: not a Parley session log (its first line is not a "${SESSION_LOG_TYPE}" header)`,
          { location: { file, line: 1, col: 1 } },
        );
      header = value as unknown as SessionLogHeader;
    } else events.push(value as unknown as SessionLogEvent);
  }
  if (!header)
    throw new SessionLogError("log_not_session_log", `${file}:1:1: empty file, not a session log`, {
      location: { file, line: 1, col: 1 },
    });
  // Format 4 writes a line's sessionId only when it changes: each line takes the one before it.
  if (header.version >= 4) carrySessionIds(events);
  // Format 3 leaves out what one protocol event says (DERIVED_EVENTS): made again here, read as before.
  return { file, header, events: header.version >= 3 ? deriveEvents(events) : events };
}

/** Fills in each line's `sessionId` left out (format 4) with the last one written before it. */
function carrySessionIds(events: SessionLogEvent[]): void {
  let sessionId = "";
  for (const event of events as { sessionId?: unknown }[]) {
    if (typeof event.sessionId === "string") sessionId = event.sessionId;
    else event.sessionId = sessionId;
  }
}

function parseLine(
  line: string,
  file: string,
  n: number,
  last: boolean,
  isEvent: boolean,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message);
    const col = at ? Number(at[1]) + 1 : line.length + 1;
    const truncated = last && (!at || Number(at[1]) >= line.length - 1);
    throw new SessionLogError(
      "log_malformed",
      `${file}:${n}:${col}: ${truncated ? "the line is cut short (the session ended before it was written whole)" : "not a JSON event"}`,
      { location: { file, line: n, col }, cause: error },
    );
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new SessionLogError("log_malformed", `${file}:${n}:1: not a JSON object`, {
      location: { file, line: n, col: 1 },
    });
  if (isEvent && typeof (value as { type?: unknown }).type !== "string")
    throw new SessionLogError(
      "log_malformed",
      `${file}:${n}:1: not an event (a JSON object with a "type")`,
      { location: { file, line: n, col: 1 } },
    );
  return value as Record<string, unknown>;
}
