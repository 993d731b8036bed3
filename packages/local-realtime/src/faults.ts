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

/** Sends a connection's events through the current faults. */
export class FaultySender {
  private count = 0;
  private chain: Promise<void> = Promise.resolve();
  private dropped = false;

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
      this.socket.send(data);
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
}
