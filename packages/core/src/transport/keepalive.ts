import type WebSocket from "ws";
import { type Deadline, type Deadlines, deadlinesOf } from "../clock/deadlines.ts";
import type { Clock } from "../clock/index.ts";

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
 * server proves it alive (its owner calls `alive()` for each frame and pong), so a busy session sends no pings.
 * Times are on `clock`. One object, its wait on the clock's shared timer (clock/deadlines.ts): no timer or closure
 * per socket.
 */
export class Keepalive implements Deadline {
  readonly #ws: WebSocket;
  readonly #clock: Clock;
  readonly #deadlines: Deadlines;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #owner: { peerDead(detail: string): void };
  /** @internal When the check runs next (the shared timer's). */
  dueAt = 0;
  #stopped = false;
  // A frame only notes the time: re-arming a timer per frame cost a Timeout object and its async hooks for every
  // audio delta. The one timer checks the silence when it fires and waits out the rest when there was a frame since.
  #last: number;
  #pinged = false;

  constructor(
    ws: WebSocket,
    clock: Clock,
    options: KeepaliveOptions,
    owner: { peerDead(detail: string): void },
  ) {
    this.#ws = ws;
    this.#clock = clock;
    this.#deadlines = deadlinesOf(clock);
    this.#intervalMs = options.intervalMs ?? DEFAULT_KEEPALIVE.intervalMs;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_KEEPALIVE.timeoutMs;
    this.#owner = owner;
    this.#last = Math.floor(clock.now());
    this.#arm(this.#intervalMs);
  }

  /** A frame (or a pong) came: the peer is alive. */
  alive(): void {
    // Whole milliseconds (as dueAt): a fractional time is a 16-byte heap number per socket.
    this.#last = Math.floor(this.#clock.now());
    this.#pinged = false;
  }

  stop(): void {
    this.#stopped = true;
    this.#deadlines.disarm(this);
  }

  #arm(ms: number): void {
    if (!this.#stopped) this.#deadlines.arm(this, ms);
  }

  /** @internal The check, when due: after a silence, a ping; after a ping without an answer since, the peer is dead. */
  due(): void {
    if (this.#pinged) {
      this.#owner.peerDead(`no answer to a keepalive ping within ${this.#timeoutMs} ms`);
      this.#ws.terminate();
      return;
    }
    const quiet = this.#clock.now() - this.#last;
    if (quiet < this.#intervalMs) {
      this.#arm(this.#intervalMs - quiet);
      return;
    }
    try {
      this.#ws.ping();
    } catch {
      return; // closing already: the close reports itself
    }
    this.#pinged = true;
    this.#arm(this.#timeoutMs);
  }
}
