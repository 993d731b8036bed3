import type { WebSocket } from "ws";
import { realClock, type ServerClock, sleepUntil } from "./clock.ts";

/**
 * Faults to inject into every connection, for reliability tests of clients. Counts are of server events sent
 * on that connection (session.created is event 1).
 *
 * @example
 * const server = await startLocalRealtime({ faults: { dropAfterEvents: 5 } });
 * server.setFaults({ latencyMs: 200 }); // applies to open connections too
 * server.setFaults({ refuseConnections: 2 }); // the next two connections are refused, the third is served
 */
export interface FaultOptions {
  /** Deliver every server event this many milliseconds after it was produced (order is kept). */
  latencyMs?: number;
  /** Close the socket abruptly (no close frame, code 1006 at the client) right after this many events. */
  dropAfterEvents?: number;
  /** Close the socket with a close frame (`closeCode`, default 1011) right after this many events. */
  closeAfterEvents?: number;
  /** The close frame's code and reason for `closeAfterEvents` and `closeOnToolCall` (default 1011, "injected"). */
  closeCode?: number;
  closeReason?: string;
  /**
   * Mid-tool: end the connection right after the first `response.done` that carries a function call, while the client
   * runs the tool. `"drop"` terminates the socket (no close frame), `"close"` sends a close frame.
   */
  closeOnToolCall?: "drop" | "close";
  /** Send an `error` event right after this many events. */
  errorAfterEvents?: number;
  /** The injected error (defaults: type "server_error", code "injected_fault"). */
  error?: { type?: string; code?: string; message?: string };
  /**
   * While set, every input audio transcription fails: `conversation.item.input_audio_transcription.failed` (with
   * this error, default code "transcription_failed") instead of `completed`, as when the API's audio path has
   * problems. Applies to open connections too; clear it to let transcription work again.
   */
  failTranscription?: boolean | { code?: string; message?: string };
  /** Stop sending anything after this many events; the socket stays open (a stalled server). */
  stallAfterEvents?: number;
  /**
   * End every session this many ms (server clock) after it opened, as the API does at its cap: an `error` event with
   * code `session_expired`, then a close frame (1000). Only new connections read it.
   */
  expireAfterMs?: number;
  /**
   * Refuse the next N connection attempts (HTTP 503 on the upgrade, as an overloaded or unreachable server would);
   * counted from the moment the faults are set. Later attempts are served.
   */
  refuseConnections?: number;
}

/** The error event the API sends when a session reaches its maximum duration (then it closes the socket). */
export function sessionExpiredError(minutes: number): {
  type: string;
  code: string;
  message: string;
} {
  // The shape and wording the API uses (seen in livekit/agents #1122); the duration is the cap of the session.
  return {
    type: "invalid_request_error",
    code: "session_expired",
    message: `Your session hit the maximum duration of ${minutes} minutes.`,
  };
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
  private expiry: unknown;

  constructor(
    private readonly socket: WebSocket,
    private readonly faults: () => FaultOptions,
    private readonly errorEvent: (error: Required<NonNullable<FaultOptions["error"]>>) => string,
    private readonly clock: ServerClock = realClock,
  ) {
    const expireMs = faults().expireAfterMs;
    if (expireMs !== undefined && expireMs >= 0) {
      this.expiry = clock.setTimeout(() => this.expire(expireMs), expireMs);
      socket.once("close", () => clock.clearTimeout(this.expiry));
    }
  }

  /** Sends one event (`event` is its parsed form, read for faults that depend on what is sent). */
  send(data: string, event?: { type?: unknown; response?: unknown }): void {
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
      if (f.dropAfterEvents === n) this.end("drop");
      else if (f.closeAfterEvents === n) this.end("close");
      else if (f.closeOnToolCall && carriesFunctionCall(event)) this.end(f.closeOnToolCall);
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

  private end(how: "drop" | "close", code?: number, reason?: string): void {
    this.dropped = true;
    this.clock.clearTimeout(this.expiry);
    if (how === "drop") {
      this.socket.terminate();
      return;
    }
    const f = this.faults();
    this.socket.close(code ?? f.closeCode ?? 1011, reason ?? f.closeReason ?? "injected");
  }

  private expire(ms: number): void {
    if (this.dropped || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(this.errorEvent(sessionExpiredError(Math.max(1, Math.round(ms / 60_000)))));
    this.end("close", 1000, "session expired");
  }
}

function carriesFunctionCall(event: { type?: unknown; response?: unknown } | undefined): boolean {
  if (event?.type !== "response.done") return false;
  const output = (event.response as { output?: Array<{ type?: string }> } | undefined)?.output;
  return Boolean(output?.some((item) => item.type === "function_call"));
}
