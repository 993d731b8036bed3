import type { ReconnectConfig } from "../../schema/reconnect.ts";

/**
 * How a session survives a dropped connection and the API's hour cap. See docs/runtime.md ("Reconnect and restore").
 *
 * @example
 * await startSession({ agent, reconnect: { maxAttempts: 8, recycleAfterMs: 50 * 60_000 } });
 */
export interface ReconnectOptions {
  /** Connection attempts per restore before giving up (`restore_failed`, then `closed`). Default 5. */
  maxAttempts?: number;
  /** Wait before the 2nd attempt after a network drop; doubles each time, with full jitter. Default 250 ms. */
  baseDelayMs?: number;
  /** The longest wait between two attempts. Default 5 s. */
  maxDelayMs?: number;
  /**
   * Replace the connection before the API's cap ends it, at the first turn boundary after this long (ms since the
   * connection opened). Default 55 minutes; `false` never recycles.
   */
  recycleAfterMs?: number | false;
  /**
   * Sessions attached to a SIP call (`callId`): `reattach` opens the sideband again with the same `call_id` (the
   * call's session lives on the server, nothing is replayed; whether the API allows it is not confirmed), `restore`
   * treats it like any session. Default `reattach`.
   */
  sideband?: "reattach" | "restore";
  /**
   * What the agent says when it resumes after a dropped connection (it resumes silently when unset). Overrides the
   * agent file's `reconnect.announce` (which is a template, and follows handoffs).
   */
  announce?: string;
  /**
   * At most this many items are replayed into a restored session (the most recent ones, after a note saying how many
   * came before): a very long conversation is not sent again whole. Default 200.
   */
  maxReplayItems?: number;
  /** Randomness for the jitter (tests pass a fixed one). Default Math.random. */
  random?: () => number;
}

export interface ReconnectSettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  recycleAfterMs: number | false;
  sideband: "reattach" | "restore";
  announce: string | undefined;
  maxReplayItems: number;
  random: () => number;
}

export const DEFAULT_RECYCLE_AFTER_MS = 55 * 60_000;
export const DEFAULT_MAX_REPLAY_ITEMS = 200;

/**
 * The connection settings of the agent file's `reconnect:` (of the agent the session starts with) under the
 * application's options: a field given to `startSession` wins. The resume line (`announce`) is not merged here: it
 * follows the agent in force (a handoff changes it), see `Session`.
 */
export function reconnectOptionsFor(
  file: ReconnectConfig | undefined,
  given: ReconnectOptions = {},
): ReconnectOptions {
  return {
    ...(file?.maxAttempts === undefined ? {} : { maxAttempts: file.maxAttempts }),
    ...(file?.recycleAfter === undefined ? {} : { recycleAfterMs: file.recycleAfter }),
    ...given,
  };
}

export function reconnectSettings(options: ReconnectOptions = {}): ReconnectSettings {
  return {
    maxAttempts: Math.max(1, options.maxAttempts ?? 5),
    baseDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    recycleAfterMs: options.recycleAfterMs ?? DEFAULT_RECYCLE_AFTER_MS,
    sideband: options.sideband ?? "reattach",
    announce: options.announce,
    maxReplayItems: Math.max(0, options.maxReplayItems ?? DEFAULT_MAX_REPLAY_ITEMS),
    random: options.random ?? Math.random,
  };
}

/**
 * The wait before attempt `attempt` (1-based): none before the first; then "full jitter" exponential backoff,
 * a random time up to `base × 2^(attempt-2)`, capped, so clients cut off together do not reconnect in step. Written
 * here rather than taken from a retry library because the wait runs on the session's clock (tests use a virtual one).
 */
export function backoffMs(attempt: number, s: ReconnectSettings): number {
  if (attempt <= 1) return 0;
  const ceiling = Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** (attempt - 2));
  return Math.round(s.random() * ceiling);
}
