import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import { createLogger, type Logger } from "../log/index.ts";
import { clientEventText } from "./client-frames.ts";
import { parseServerFrame } from "./frames.ts";
import { closeDetail, type Transport, type TransportClose } from "./transport.ts";

type PeerEvent = "message" | "close" | "error";

/**
 * The server end of an in-memory transport, shaped like the server side of a `ws` socket (`send`, `close`,
 * `terminate`, `readyState`, `on("message" | "close" | "error")`), so a local server's connection can run on it
 * (`acceptInMemory` in `@parley/local-realtime`) or a test can play the server by hand.
 */
export interface MemoryPeer {
  readonly OPEN: 1;
  /** 1 while open, 3 once closed. */
  readonly readyState: number;
  /** Sends a server event (a JSON text frame) to the client. */
  send(data: string): void;
  /** Closes from the server side: the client sees a drop with this code and reason. */
  close(code?: number, reason?: string): void;
  /** An abrupt end (code 1006), as a dropped TCP connection. */
  terminate(): void;
  on(event: PeerEvent, fn: (...args: never[]) => void): this;
  once(event: PeerEvent, fn: (...args: never[]) => void): this;
}

/**
 * A connected client transport and server peer in one process: frames cross as JSON text (what the wire carries),
 * each delivered on its own turn of the event loop in order, as a socket would. For fast unit tests against a
 * local server's model; end-to-end tests keep real sockets.
 *
 * @example
 * const { client, server } = memoryTransportPair();
 * acceptInMemory(server, { pace: 0 });
 * const session = await startSession({ agent, transport: client });
 */
export function memoryTransportPair(options: { log?: Logger } = {}): {
  client: Transport;
  server: MemoryPeer;
} {
  const pair = new MemoryPair(options.log ?? createLogger("parley:transport"));
  return { client: pair.client, server: pair.server };
}

/** An ordered one-way queue, delivered on a later turn of the event loop (setImmediate), as socket frames are. */
class Channel<T> {
  readonly #items: T[] = [];
  #deliver: ((item: T) => void) | undefined;
  #scheduled = false;

  /** Sets the receiver; items queued before it are delivered then. */
  receive(deliver: (item: T) => void): void {
    this.#deliver = deliver;
    this.#schedule();
  }

  push(item: T): void {
    this.#items.push(item);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || !this.#deliver || this.#items.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const item = this.#items.shift();
      // One frame per turn: promise continuations between frames run as they would between socket reads.
      this.#schedule();
      if (item !== undefined) this.#deliver?.(item);
    });
  }
}

class MemoryPair {
  open = true;
  readonly #listeners = new Map<PeerEvent, ((...args: unknown[]) => void)[]>();
  readonly #toClient = new Channel<string | TransportClose>();
  readonly #toServer = new Channel<string | { code: number; reason: string }>();
  #closedByClient = false;
  readonly #closed: Promise<void>;
  #resolveClosed!: () => void;
  readonly client: Transport;
  readonly server: MemoryPeer;

  constructor(log: Logger) {
    this.#closed = new Promise((r) => {
      this.#resolveClosed = r;
    });
    this.#toServer.receive((item) => {
      if (typeof item === "string") this.#emit("message", Buffer.from(item), false);
      else this.#emit("close", item.code, Buffer.from(item.reason));
    });
    const pair = this;
    this.client = {
      kind: "memory",
      get isOpen() {
        return pair.open && !pair.#closedByClient;
      },
      listen: (listener) =>
        this.#toClient.receive((item) => {
          if (typeof item !== "string") {
            listener.closed(item);
            this.#resolveClosed();
            return;
          }
          const event = parseServerFrame(item, log);
          if (event) listener.event(event);
        }),
      opened: () => Promise.resolve(),
      send: (event: RealtimeClientEvent) => {
        if (this.open) this.#toServer.push(clientEventText(event));
      },
      close: (reason = "session closed") => {
        if (!this.open) return this.#closed;
        this.#closedByClient = true;
        this.#end(1000, reason);
        return this.#closed;
      },
    };
    this.server = {
      OPEN: 1,
      get readyState() {
        return pair.open ? 1 : 3;
      },
      send: (data) => {
        if (this.open) this.#toClient.push(data);
      },
      close: (code = 1000, reason = "") => this.#end(code, reason),
      terminate: () => this.#end(1006, ""),
      on(event, fn) {
        pair.#on(event, fn as (...args: unknown[]) => void);
        return this;
      },
      once(event, fn) {
        const once = (...args: unknown[]) => {
          pair.#off(event, once);
          (fn as (...args: unknown[]) => void)(...args);
        };
        pair.#on(event, once);
        return this;
      },
    };
  }

  #on(event: PeerEvent, fn: (...args: unknown[]) => void): void {
    const list = this.#listeners.get(event) ?? [];
    list.push(fn);
    this.#listeners.set(event, list);
  }

  #off(event: PeerEvent, fn: (...args: unknown[]) => void): void {
    const list = this.#listeners.get(event);
    if (list)
      this.#listeners.set(
        event,
        list.filter((f) => f !== fn),
      );
  }

  #emit(event: PeerEvent, ...args: unknown[]): void {
    for (const fn of [...(this.#listeners.get(event) ?? [])]) fn(...args);
  }

  #end(code: number, reason: string): void {
    if (!this.open) return;
    this.open = false;
    // Both ends hear of the close after what was already on its way.
    this.#toServer.push({ code, reason });
    this.#toClient.push({
      code,
      reason,
      detail: closeDetail(code, reason),
      dropped: !this.#closedByClient,
    });
  }
}
