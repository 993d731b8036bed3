import type WebSocket from "ws";
import { type Deadline, deadlinesOf } from "../clock/deadlines.ts";
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
// Every socket keeps one of these for its life: the fields are what it needs and no more (the deadlines looked up
// from the clock when arming, the options object kept as given, one state for stopped / pinged).
const WAITING = 0;
const PINGED = 1;
const STOPPED = 2;
const NO_OPTIONS: KeepaliveOptions = Object.freeze({});

export class Keepalive implements Deadline {
  readonly #ws: WebSocket;
  readonly #clock: Clock;
  readonly #options: KeepaliveOptions;
  readonly #owner: { peerDead(detail: string): void };
  /** @internal When the check runs next (the shared timer's). */
  dueAt = 0;
  #state = WAITING;
  // A frame only notes the time: re-arming a timer per frame cost a Timeout object and its async hooks for every
  // audio delta. The one timer checks the silence when it fires and waits out the rest when there was a frame since.
  #last: number;

  constructor(
    ws: WebSocket,
    clock: Clock,
    options: KeepaliveOptions,
    owner: { peerDead(detail: string): void },
  ) {
    this.#ws = ws;
    this.#clock = clock;
    this.#options =
      options.intervalMs === undefined && options.timeoutMs === undefined ? NO_OPTIONS : options;
    this.#owner = owner;
    this.#last = Math.floor(clock.now());
    this.#arm(this.#intervalMs);
  }

  /** A frame (or a pong) came: the peer is alive. */
  alive(): void {
    // Whole milliseconds (as dueAt): a fractional time is a 16-byte heap number per socket.
    this.#last = Math.floor(this.#clock.now());
    if (this.#state === PINGED) this.#state = WAITING;
  }

  stop(): void {
    this.#state = STOPPED;
    deadlinesOf(this.#clock).disarm(this);
  }

  get #intervalMs(): number {
    return this.#options.intervalMs ?? DEFAULT_KEEPALIVE.intervalMs;
  }

  get #timeoutMs(): number {
    return this.#options.timeoutMs ?? DEFAULT_KEEPALIVE.timeoutMs;
  }

  #arm(ms: number): void {
    if (this.#state !== STOPPED) deadlinesOf(this.#clock).arm(this, ms);
  }

  /** @internal The check, when due: after a silence, a ping; after a ping without an answer since, the peer is dead. */
  due(): void {
    if (this.#state === STOPPED) return;
    if (this.#state === PINGED) {
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
    this.#state = PINGED;
    this.#arm(this.#timeoutMs);
  }
}
