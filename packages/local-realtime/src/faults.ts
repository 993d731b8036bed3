import type { WebSocket } from "ws";
import { realClock, type ServerClock, sleepUntil } from "./clock.ts";

/**
 * Faults to inject into every connection, for reliability tests of clients. Counts are of server events sent
 * on that connection (session.created is event 1).
 *
 * @example
 * const server = await startLocalRealtime({ faults: { dropAfterEvents: 5 } });
 * server.setFaults({ latencyMs: 200 }); // applies to open connections too
 */
export interface FaultOptions {
  /** Deliver every server event this many milliseconds after it was produced (order is kept). */
  latencyMs?: number;
  /** Close the socket abruptly (no close frame) right after this many events. */
  dropAfterEvents?: number;
  /** Send an `error` event right after this many events. */
  errorAfterEvents?: number;
  /** The injected error (defaults: type "server_error", code "injected_fault"). */
  error?: { type?: string; code?: string; message?: string };
  /** Stop sending anything after this many events; the socket stays open (a stalled server). */
  stallAfterEvents?: number;
}

/**
 * Output a session may queue beyond what its socket has taken before a response stops producing (backpressure):
 * a client that reads slowly, or not at all, costs the server this much memory, not the whole answer.
 */
export const OUTPUT_HIGH_WATER_BYTES = 1024 * 1024;

/** Sends a connection's events through the current faults. */
export class FaultySender {
  private count = 0;
  private chain: Promise<void> = Promise.resolve();
  private dropped = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly faults: () => FaultOptions,
    private readonly errorEvent: (error: Required<NonNullable<FaultOptions["error"]>>) => string,
    private readonly clock: ServerClock = realClock,
  ) {}

  send(data: string): void {
    const f = this.faults();
    if (this.dropped) return;
    const n = ++this.count;
    if (f.stallAfterEvents !== undefined && n > f.stallAfterEvents) return;
    const deliver = () => {
      if (this.dropped || this.socket.readyState !== this.socket.OPEN) return;
      // The callback runs once ws has handed the data to the socket: a waiting response may go on.
      this.socket.send(data, () => this.release());
      if (f.errorAfterEvents === n) {
        const e = f.error ?? {};
        this.socket.send(
          this.errorEvent({
            type: e.type ?? "server_error",
            code: e.code ?? "injected_fault",
            message: e.message ?? "Injected fault (local-realtime faults.errorAfterEvents).",
          }),
        );
      }
      if (f.dropAfterEvents === n) {
        this.dropped = true;
        this.socket.terminate();
      }
    };
    if (f.latencyMs && f.latencyMs > 0) {
      // Each event arrives latencyMs after it was produced; the chain keeps the order.
      const at = this.clock.now() + f.latencyMs;
      this.chain = this.chain.then(() => sleepUntil(this.clock, at)).then(deliver);
    } else deliver();
  }

  /**
   * Resolves when the socket has room for more output (at once unless more than OUTPUT_HIGH_WATER_BYTES wait
   * to be written), when the socket is gone, or when `signal` aborts (a cancelled response ends at once).
   * Producers of long output await it between events.
   */
  writable(signal?: AbortSignal): Promise<void> {
    if (!this.congested() || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener("abort", done);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  private congested(): boolean {
    return (
      !this.dropped &&
      this.socket.readyState === this.socket.OPEN &&
      this.socket.bufferedAmount > OUTPUT_HIGH_WATER_BYTES
    );
  }

  /** Wakes producers once the queue is under the mark, or the socket closed. */
  release(): void {
    if (this.waiters.length === 0 || this.congested()) return;
    for (const w of this.waiters.splice(0)) w();
  }
}
