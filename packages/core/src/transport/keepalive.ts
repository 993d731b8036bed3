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

// The pings' state: not started, waiting out a silence, waiting for the answer to a ping, stopped, turned off.
const OFF = 0;
const WAITING = 1;
const PINGED = 2;
const STOPPED = 3;
const DISABLED = 4;
/** The defaults, for every socket given no options of its own. */
const NO_OPTIONS: KeepaliveOptions = Object.freeze({});

/**
 * Pings the peer after `intervalMs` of silence and terminates the socket when `timeoutMs` passes without a pong or
 * any other frame, so a dead peer (a half-open TCP connection, a stalled proxy) is found within
 * `intervalMs + timeoutMs` and reported as a drop (code 1006) that the session can act on. Any frame from the
 * server proves it alive (its owner calls `alive()` for each frame and pong), so a busy session sends no pings.
 * Times are on `clock`. Its wait is on the clock's shared timer (clock/deadlines.ts): no timer or closure per socket.
 *
 * The transport extends it (ws-transport.ts): the few fields it needs are the socket transport's own, not a second
 * object per socket with its own references to the socket, the clock and the owner.
 */
export abstract class Keepalive implements Deadline {
  /** The clock of the pings and of the transport's own waits. */
  protected readonly clock: Clock;
  /** @internal When the check runs next (the shared timer's). */
  dueAt = 0;
  #state = OFF;
  #options: KeepaliveOptions = NO_OPTIONS;
  // A frame only notes the time: re-arming a timer per frame cost a Timeout object and its async hooks for every
  // audio delta. The one timer checks the silence when it fires and waits out the rest when there was a frame since.
  // Whole milliseconds: a fractional time is a 16-byte heap number per socket (until ~24.8 days of uptime, see
  // clock/deadlines.ts).
  #last = 0;

  /** `options` are kept for the start (`false`: no pings ever). */
  constructor(clock: Clock, options: KeepaliveOptions | false | undefined) {
    this.clock = clock;
    if (options === false) this.#state = DISABLED;
    else if (options && (options.intervalMs !== undefined || options.timeoutMs !== undefined))
      this.#options = options;
  }

  /** Sends a ping (throws when the socket is closing). */
  protected abstract pingPeer(): void;
  /** No answer came: the peer is reported dead and the socket terminated. */
  protected abstract peerGone(detail: string): void;

  /** Starts the pings (once the socket is open; again, or when turned off, a no-op). Returns whether it started. */
  protected startKeepalive(): boolean {
    if (this.#state !== OFF) return false;
    this.#state = WAITING;
    this.#last = Math.floor(this.clock.now());
    this.#arm(this.#intervalMs);
    return true;
  }

  /** A frame (or a pong) came: the peer is alive. */
  alive(): void {
    if (this.#state !== WAITING && this.#state !== PINGED) return;
    this.#last = Math.floor(this.clock.now());
    if (this.#state === PINGED) this.#state = WAITING;
  }

  protected stopKeepalive(): void {
    if (this.#state !== WAITING && this.#state !== PINGED) return;
    this.#state = STOPPED;
    deadlinesOf(this.clock).disarm(this);
  }

  get #intervalMs(): number {
    return this.#options.intervalMs ?? DEFAULT_KEEPALIVE.intervalMs;
  }

  get #timeoutMs(): number {
    return this.#options.timeoutMs ?? DEFAULT_KEEPALIVE.timeoutMs;
  }

  #arm(ms: number): void {
    if (this.#state === WAITING || this.#state === PINGED) deadlinesOf(this.clock).arm(this, ms);
  }

  /** @internal The check, when due: after a silence, a ping; after a ping without an answer since, the peer is dead. */
  due(): void {
    if (this.#state === PINGED) {
      this.peerGone(`no answer to a keepalive ping within ${this.#timeoutMs} ms`);
      return;
    }
    if (this.#state !== WAITING) return;
    const quiet = this.clock.now() - this.#last;
    if (quiet < this.#intervalMs) {
      this.#arm(this.#intervalMs - quiet);
      return;
    }
    try {
      this.pingPeer();
    } catch {
      return; // closing already: the close reports itself
    }
    this.#state = PINGED;
    this.#arm(this.#timeoutMs);
  }
}
