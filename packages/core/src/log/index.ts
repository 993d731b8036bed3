export {
  createLogger,
  type Logger,
  type LogLevel,
  type LogRecord,
  type LogSink,
  setLogSink,
} from "./logger.ts";
export { REDACTED, redact, redactString } from "./redact.ts";
