import { redact, redactString } from "./redact.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** One log line, already redacted. */
export interface LogRecord {
  namespace: string;
  level: LogLevel;
  message: string;
  data?: unknown;
  time: number;
}

/** A namespaced logger (`parley:runtime`, `parley:scheduler`). Everything passed to it is redacted before it leaves. */
export interface Logger {
  readonly namespace: string;
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
  /** `parley:runtime` → `parley:runtime:queue`. */
  child(name: string): Logger;
  /** True when a record at this level would go anywhere (skip building costly data when it would not). */
  enabled(level: LogLevel): boolean;
}

export type LogSink = (record: LogRecord) => void;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

interface LogConfig {
  sink: LogSink | undefined;
  patterns: RegExp[];
  minLevel: number;
}

// One channel for the whole process: the CLI routes it to its own screen with setLogSink; otherwise lines go to
// stderr, and only for namespaces enabled by PARLEY_LOG (or DEBUG), like the `debug` package. Core never writes stdout.
const config: LogConfig = fromEnv(process.env);

function fromEnv(env: NodeJS.ProcessEnv): LogConfig {
  const spec = env.PARLEY_LOG ?? env.DEBUG ?? "";
  const patterns = spec
    .split(/[\s,]+/)
    .filter((p) => p.length > 0)
    .map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
  const level = (env.PARLEY_LOG_LEVEL as LogLevel | undefined) ?? "debug";
  return { sink: undefined, patterns, minLevel: LEVELS[level] ?? LEVELS.debug };
}

/**
 * Routes every log record of the process to `sink` (the CLI's renderer, a test's recorder), or back to the
 * default stderr writer with `undefined`. Returns the previous sink.
 *
 * @example
 * const lines: LogRecord[] = [];
 * setLogSink((r) => lines.push(r), { level: "warn" });
 */
export function setLogSink(
  sink: LogSink | undefined,
  options?: { level?: LogLevel },
): LogSink | undefined {
  const previous = config.sink;
  config.sink = sink;
  if (options?.level) config.minLevel = LEVELS[options.level];
  return previous;
}

function isEnabled(namespace: string, level: LogLevel): boolean {
  if (LEVELS[level] < config.minLevel) return false;
  if (config.sink) return true;
  // Asked per frame by the wire's debug check: nothing enabled (the common case) costs no closure and no call.
  if (config.patterns.length === 0) return false;
  return config.patterns.some((p) => p.test(namespace));
}

function write(namespace: string, level: LogLevel, message: string, data: unknown): void {
  if (!isEnabled(namespace, level)) return;
  const record: LogRecord = { namespace, level, message: redactString(message), time: Date.now() };
  if (data !== undefined) record.data = redact(data);
  if (config.sink) {
    try {
      config.sink(record);
    } catch {
      // A broken sink must not break the code that logs.
    }
    return;
  }
  const tail = record.data === undefined ? "" : ` ${safeJson(record.data)}`;
  process.stderr.write(`${namespace} ${level} ${record.message}${tail}\n`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) =>
      v instanceof Error ? { name: v.name, message: v.message } : v,
    );
  } catch {
    return String(value);
  }
}

// A logger holds nothing but its namespace, so one per namespace is shared: each session used to build seven
// (runtime, wire, queue, scheduler, …), six closures each. Bounded, should a caller make namespaces of its own.
const loggers = new Map<string, Logger>();
const MAX_SHARED_LOGGERS = 256;

/**
 * A logger for one namespace. Silent unless enabled (`PARLEY_LOG=parley:*`) or a sink is set; secrets are redacted.
 *
 * @example
 * const log = createLogger("parley:runtime");
 * log.warn("skipped a malformed server event", { raw });
 */
export function createLogger(namespace: string): Logger {
  const known = loggers.get(namespace);
  if (known) return known;
  const logger: Logger = {
    namespace,
    debug: (m, d) => write(namespace, "debug", m, d),
    info: (m, d) => write(namespace, "info", m, d),
    warn: (m, d) => write(namespace, "warn", m, d),
    error: (m, d) => write(namespace, "error", m, d),
    child: (name) => createLogger(`${namespace}:${name}`),
    enabled: (level) => isEnabled(namespace, level),
  };
  if (loggers.size < MAX_SHARED_LOGGERS) loggers.set(namespace, logger);
  return logger;
}
