import { resolve } from "node:path";
import { type LoadedAgent, openSessionLog, ParleyError, type SessionLogWriter } from "@parley/core";
import type { Command } from "commander";
import { DEFAULT_RETENTION, pruneSessionLogs, type Retention } from "./retention.ts";

/** Where `agent dev` and `agent serve` write session logs unless told otherwise (relative to the current folder). */
export const DEFAULT_LOG_DIR = ".parley/logs";

/** The env variable that moves session logs (a folder) or turns them off (`off`). */
export const LOG_DIR_ENV = "PARLEY_SESSION_LOGS";

/** The env variable that writes every chunk of streamed parts (`all`) instead of the first and a count (`first`). */
export const LOG_CHUNKS_ENV = "PARLEY_LOG_CHUNKS";

/** `--log-chunks`, then PARLEY_LOG_CHUNKS (`all` or `first`); another value is a usage error. */
export function chunksOf(flags: LogFlags, env: NodeJS.ProcessEnv): "first" | "all" {
  if (flags.logChunks) return "all";
  const raw = env[LOG_CHUNKS_ENV]?.trim();
  if (!raw) return "first";
  if (raw === "all" || raw === "first") return raw;
  throw new ParleyError("usage", `${LOG_CHUNKS_ENV}=${raw}: expected all or first`);
}

export interface LogSettings {
  /** Absolute folder. */
  dir: string;
  /** Keep raw audio beside each log. */
  audio: boolean;
  /** Streamed parts: `first` writes each part's first chunk and a count of the rest, `all` every chunk (SessionLogOptions). */
  chunks?: "first" | "all";
  /** How many logs, how old and how much disk to keep, applied when `agent dev` / `agent serve` start (default DEFAULT_RETENTION). */
  retention?: Retention;
}

export interface LogFlags {
  /** `--logs <dir>` (a string), `--no-logs` (false), neither (undefined or true). */
  logs?: string | boolean;
  logAudio?: boolean;
  /** `--log-chunks`: write every audio, transcript and argument chunk. */
  logChunks?: boolean;
  /** `--logs-keep <n>`, `--logs-days <n>`, `--logs-max-mb <n>` (0: no limit). */
  logsKeep?: string;
  logsDays?: string;
  logsMaxMb?: string;
}

/** The retention settings: flag, env variable, default. */
const RETENTION: { key: keyof Retention; flag: keyof LogFlags; option: string; env: string }[] = [
  { key: "keep", flag: "logsKeep", option: "--logs-keep", env: "PARLEY_LOGS_KEEP" },
  { key: "days", flag: "logsDays", option: "--logs-days", env: "PARLEY_LOGS_DAYS" },
  { key: "maxMb", flag: "logsMaxMb", option: "--logs-max-mb", env: "PARLEY_LOGS_MAX_MB" },
];

/** The retention policy from the flags, then the env, then the defaults; a value that is not a number ≥ 0 is a usage error. */
export function retentionOf(flags: LogFlags, env: NodeJS.ProcessEnv): Retention {
  const policy = { ...DEFAULT_RETENTION };
  for (const { key, flag, option, env: name } of RETENTION) {
    const fromFlag = flags[flag];
    const raw = typeof fromFlag === "string" ? fromFlag : env[name]?.trim() || undefined;
    if (raw === undefined) continue;
    const value = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(value))
      throw new ParleyError(
        "usage",
        `${typeof fromFlag === "string" ? option : name} ${raw}: expected a number ≥ 0 (0: no limit)`,
      );
    policy[key] = value;
  }
  return policy;
}

/**
 * Session log settings from the flags, then `PARLEY_SESSION_LOGS` (a folder, or `off`), then the default folder.
 * Undefined when logs are off.
 *
 * @example
 * logSettings({ logs: false }, process.env) // undefined: --no-logs
 * logSettings({}, { PARLEY_SESSION_LOGS: "/var/log/parley" }) // { dir: "/var/log/parley", audio: false, chunks: "first", … }
 */
export function logSettings(
  flags: LogFlags,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): LogSettings | undefined {
  if (flags.logs === false) return undefined;
  const fromEnv = env[LOG_DIR_ENV]?.trim();
  if (typeof flags.logs !== "string" && fromEnv && /^(off|false|0|no)$/i.test(fromEnv))
    return undefined;
  const dir = typeof flags.logs === "string" ? flags.logs : fromEnv || DEFAULT_LOG_DIR;
  return {
    dir: resolve(cwd, dir),
    audio: Boolean(flags.logAudio),
    chunks: chunksOf(flags, env),
    retention: retentionOf(flags, env),
  };
}

/**
 * Applies the retention policy to the log folder (when `agent dev` or `agent serve` starts) and says what it removed.
 * A folder that cannot be read or cleaned is reported, never a reason not to start.
 */
export function pruneLogs(settings: LogSettings | undefined, say: (message: string) => void): void {
  if (!settings) return;
  const retention = settings.retention ?? DEFAULT_RETENTION;
  const { keep, days, maxMb } = retention;
  try {
    const { removed, spared } = pruneSessionLogs(settings.dir, retention);
    const policy = `keep ${keep || "any number"}, ${days ? `${days} days` : "any age"}, ${maxMb ? `${maxMb} MB` : "any size"}`;
    if (removed.length)
      say(
        `session logs: removed ${removed.length} old log${removed.length === 1 ? "" : "s"} (${policy})`,
      );
    if (spared.length)
      say(
        `session logs: kept ${spared.length} over the limit whose session is still being written`,
      );
  } catch (error) {
    say(
      `session logs: could not apply the retention policy: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The session log flags `agent dev` and `agent serve` share. */
export function addLogOptions(command: Command): Command {
  return command
    .option(
      "--logs <dir>",
      `write a session log per session to this folder (default ${DEFAULT_LOG_DIR}; env ${LOG_DIR_ENV}=<dir>|off)`,
    )
    .option("--no-logs", "write no session logs")
    .option("--log-audio", "keep each session's raw audio beside its log")
    .option(
      "--log-chunks",
      `write every audio, transcript and argument chunk (default: each part's first, then a count; env ${LOG_CHUNKS_ENV}=all)`,
    )
    .option(
      "--logs-keep <n>",
      `keep at most n session logs, the newest (default ${DEFAULT_RETENTION.keep}; 0: no limit; env PARLEY_LOGS_KEEP)`,
    )
    .option(
      "--logs-days <n>",
      `remove session logs older than n days (default ${DEFAULT_RETENTION.days}; 0: never; env PARLEY_LOGS_DAYS)`,
    )
    .option(
      "--logs-max-mb <n>",
      `keep the log folder under n MB (default ${DEFAULT_RETENTION.maxMb}; 0: no limit; env PARLEY_LOGS_MAX_MB)`,
    );
}

/**
 * A session's log, or undefined when logs are off or the folder cannot be written (`warn` says so and the session
 * goes on: a log is never a reason to refuse a conversation or a call).
 */
export function openLog(
  settings: LogSettings | undefined,
  agent: LoadedAgent,
  variables: Record<string, unknown>,
  warn: (message: string) => void,
): SessionLogWriter | undefined {
  if (!settings) return undefined;
  try {
    return openSessionLog({
      dir: settings.dir,
      agent,
      variables,
      audio: settings.audio,
      ...(settings.chunks ? { chunks: settings.chunks } : {}),
    });
  } catch (error) {
    warn(`no session log: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
