import { resolve } from "node:path";
import { type LoadedAgent, openSessionLog, type SessionLogWriter } from "@parley/core";
import type { Command } from "commander";

/** Where `agent dev` and `agent serve` write session logs unless told otherwise (relative to the current folder). */
export const DEFAULT_LOG_DIR = ".parley/logs";

/** The env variable that moves session logs (a folder) or turns them off (`off`). */
export const LOG_DIR_ENV = "PARLEY_SESSION_LOGS";

export interface LogSettings {
  /** Absolute folder. */
  dir: string;
  /** Keep raw audio beside each log. */
  audio: boolean;
}

export interface LogFlags {
  /** `--logs <dir>` (a string), `--no-logs` (false), neither (undefined or true). */
  logs?: string | boolean;
  logAudio?: boolean;
}

/**
 * Session log settings from the flags, then `PARLEY_SESSION_LOGS` (a folder, or `off`), then the default folder.
 * Undefined when logs are off.
 *
 * @example
 * logSettings({ logs: false }, process.env) // undefined: --no-logs
 * logSettings({}, { PARLEY_SESSION_LOGS: "/var/log/parley" }) // { dir: "/var/log/parley", audio: false }
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
  return { dir: resolve(cwd, dir), audio: Boolean(flags.logAudio) };
}

/** The session log flags `agent dev` and `agent serve` share. */
export function addLogOptions(command: Command): Command {
  return command
    .option(
      "--logs <dir>",
      `write a session log per session to this folder (default ${DEFAULT_LOG_DIR}; env ${LOG_DIR_ENV}=<dir>|off)`,
    )
    .option("--no-logs", "write no session logs")
    .option("--log-audio", "keep each session's raw audio beside its log");
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
    return openSessionLog({ dir: settings.dir, agent, variables, audio: settings.audio });
  } catch (error) {
    warn(`no session log: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
