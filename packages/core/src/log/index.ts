export {
  createLogger,
  type Logger,
  type LogLevel,
  type LogRecord,
  type LogSink,
  setLogSink,
} from "./logger.ts";
export {
  MAX_MESSAGE_CHARS,
  REDACTED,
  redact,
  redactMessage,
  redactQuick,
  redactString,
} from "./redact.ts";
