import { type Logger, type LogLevel, redact } from "@parley/core";

/** One structured log line (JSON), already redacted when it reaches a writer. */
export type LogLine = Record<string, unknown> & { level: LogLevel; msg: string };
export type LogWriter = (line: LogLine) => void;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes each line as one JSON object per line (to stdout by default), secrets redacted, at `level` or above. */
export function jsonLines(
  write: (text: string) => void = (text) => process.stdout.write(text),
  level: LogLevel = "info",
): LogWriter {
  return (line) => {
    if (LEVELS[line.level] < LEVELS[level]) return;
    write(`${JSON.stringify(redact({ time: new Date().toISOString(), ...line }))}\n`);
  };
}

/**
 * A core `Logger` whose lines carry the call id: give it to `startSession({ log })` and every runtime and
 * scheduler line of that call lands in the serve log, tagged.
 */
export function callLogger(
  write: LogWriter,
  fields: Record<string, unknown>,
  ns = "parley:serve",
): Logger {
  const line =
    (level: LogLevel) =>
    (msg: string, data?: unknown): void =>
      write({
        level,
        msg,
        ns,
        ...fields,
        ...(data === undefined
          ? {}
          : data !== null && typeof data === "object" && !Array.isArray(data)
            ? (data as Record<string, unknown>)
            : { data }),
      });
  return {
    namespace: ns,
    debug: line("debug"),
    info: line("info"),
    warn: line("warn"),
    error: line("error"),
    child: (name) => callLogger(write, fields, `${ns}:${name}`),
    enabled: () => true,
  };
}
