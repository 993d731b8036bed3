import type WebSocket from "ws";
import type { Clock, TimerHandle } from "../clock/index.ts";

/** WebSocket pings that find a dead peer while nothing else is said (no response in progress, nobody speaking). */
export interface KeepaliveOptions {
  /** Send a ping after this long without any frame from the server (default 15 s). */
  intervalMs?: number;
  /** Give up on the peer when no pong (or any frame) comes this long after a ping (default 10 s). */
  timeoutMs?: number;
}

export const DEFAULT_KEEPALIVE = { intervalMs: 15_000, timeoutMs: 10_000 } as const;

/**
 * Pings the peer after `intervalMs` of silence and terminates the socket when `timeoutMs` passes without a pong or
 * any other frame, so a dead peer (a half-open TCP connection, a stalled proxy) is found within
 * `intervalMs + timeoutMs` and reported as a drop (code 1006) that the session can act on. Any frame from the
 * server proves it alive, so a busy session sends no pings. Times are on `clock`. Returns a stop function.
 */
export function keepAlive(
  ws: WebSocket,
  clock: Clock,
  options: KeepaliveOptions,
  dead: (detail: string) => void,
): () => void {
  const intervalMs = options.intervalMs ?? DEFAULT_KEEPALIVE.intervalMs;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEEPALIVE.timeoutMs;
  let timer: TimerHandle | undefined;
  let stopped = false;
  // A frame only notes the time: re-arming a timer per frame cost a Timeout object and its async hooks for every
  // audio delta. The one timer checks the silence when it fires and waits out the rest when there was a frame since.
  let last = clock.now();
  let pinged = false;
  const arm = (ms: number, fn: () => void) => {
    timer = stopped ? undefined : clock.setTimeout(fn, ms);
  };
  const silence = () => {
    const quiet = clock.now() - last;
    if (quiet < intervalMs) {
      arm(intervalMs - quiet, silence);
      return;
    }
    try {
      ws.ping();
    } catch {
      return; // closing already: the close reports itself
    }
    pinged = true;
    arm(timeoutMs, answered);
  };
  const answered = () => {
    if (!pinged) {
      silence();
      return;
    }
    dead(`no answer to a keepalive ping within ${timeoutMs} ms`);
    ws.terminate();
  };
  const alive = () => {
    last = clock.now();
    pinged = false;
  };
  ws.on("message", alive);
  ws.on("pong", alive);
  arm(intervalMs, silence);
  return () => {
    stopped = true;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    ws.off("message", alive);
    ws.off("pong", alive);
  };
}
