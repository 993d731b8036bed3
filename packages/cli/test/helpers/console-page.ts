// Test support for the browser console: a page's side of its WebSocket, without a browser (the protocol of
// src/console/README.md), collecting what Parley sends and waiting for messages by content (never by time).

import type { StreamEvent } from "@parley/core";
import WebSocket from "ws";
import type { ClientMessage, ServerMessage } from "../../src/console/protocol.ts";

/** The stream event of type K (protocol events share one member, typed `"client.event" | "server.event"`). */
export type EventOf<K extends StreamEvent["type"]> = StreamEvent & { type: K };

export type Received = ServerMessage | { type: "audio"; bytes: number; after: string | undefined };

/** One console page's socket: everything received, in order; `waitFor` looks from a position on. */
export class PageSocket {
  readonly received: Received[] = [];
  readonly #ws: WebSocket;
  readonly #waiters = new Set<() => void>();
  #closed: { code: number } | undefined;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on("message", (data, binary) => {
      if (binary) {
        const last = this.received.at(-1);
        const after = last?.type === "event" ? last.event.type : last?.type;
        this.received.push({ type: "audio", bytes: (data as Buffer).byteLength, after });
      } else this.received.push(JSON.parse(String(data)) as ServerMessage);
      for (const wake of this.#waiters) wake();
    });
    ws.on("close", (code) => {
      this.#closed = { code };
      for (const wake of this.#waiters) wake();
    });
  }

  /**
   * Connects to the console page at `pageUrl` (`http://…/<token>/`); `origin` plays a browser page's Origin; `query`
   * goes on the socket's URL (a reconnecting page's `resume_item` / `resume_bytes`).
   */
  static open(
    pageUrl: string,
    origin?: string,
    query: Record<string, string> = {},
  ): Promise<PageSocket> {
    const url = new URL("ws", pageUrl);
    url.protocol = "ws:";
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const ws = new WebSocket(url, origin ? { origin } : {});
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(new PageSocket(ws)));
      ws.once("unexpected-response", (_req, res) =>
        reject(new Error(`refused: ${res.statusCode}`)),
      );
      ws.once("error", reject);
    });
  }

  send(message: ClientMessage | Record<string, unknown>): void {
    this.#ws.send(JSON.stringify(message));
  }

  sendAudio(pcm: Buffer): void {
    this.#ws.send(pcm);
  }

  /** The first message at or after `from` matching `test`; its index is `at`. Rejects if the socket closes first. */
  waitFor<T extends Received>(
    test: (m: Received) => m is T,
    from?: number,
  ): Promise<{ message: T; at: number }>;
  waitFor(
    test: (m: Received) => boolean,
    from?: number,
  ): Promise<{ message: Received; at: number }>;
  waitFor(test: (m: Received) => boolean, from = 0): Promise<{ message: Received; at: number }> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = from; i < this.received.length; i++) {
          const m = this.received[i] as Received;
          if (test(m)) {
            this.#waiters.delete(check);
            return resolve({ message: m, at: i });
          }
        }
        if (this.#closed) {
          this.#waiters.delete(check);
          reject(new Error(`the console closed the socket (${this.#closed.code}) first`));
        }
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** The first stream event of `type` (and matching `test`) at or after `from`. */
  async event<K extends StreamEvent["type"]>(
    type: K,
    from = 0,
    test: (e: EventOf<K>) => boolean = () => true,
  ): Promise<{ event: EventOf<K>; at: number }> {
    const { message, at } = await this.waitFor(
      (m) => m.type === "event" && m.event.type === type && test(m.event as EventOf<K>),
      from,
    );
    return {
      event: (message as unknown as { event: EventOf<K> }).event,
      at,
    };
  }

  close(): void {
    this.#ws.close();
  }

  /** The connection drops (no closing handshake): what Parley sends after this never arrives. */
  drop(): void {
    this.#ws.terminate();
  }

  /** Bytes of agent audio received for `itemId` (binary frames after that item's `agent.audio` or `audio.resume`). */
  audioBytes(itemId: string): number {
    let item: string | undefined;
    let bytes = 0;
    for (const m of this.received) {
      if (m.type === "event" && m.event.type === "agent.audio") item = m.event.itemId;
      else if (m.type === "audio.resume") item = m.itemId;
      else if (m.type === "audio" && item === itemId) bytes += m.bytes;
    }
    return bytes;
  }
}
