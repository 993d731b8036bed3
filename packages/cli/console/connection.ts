import type { ClientMessage, ServerMessage } from "../src/console/protocol.ts";

export interface ConnectionHandlers {
  message(message: ServerMessage): void;
  /** A chunk of agent audio (PCM16 24 kHz): it belongs to the `agent.audio` event just received. */
  audio(pcm: ArrayBuffer): void;
  connected(on: boolean): void;
  /** What the page already has of the agent's audio: sent when (re)connecting, so only the rest comes. */
  resume(): { itemId: string; bytes: number } | undefined;
}

/**
 * The page's one WebSocket to Parley, at `ws` beside the page (the token is in the page's path, so in the socket's
 * too). Reconnects after a drop (Parley restarted the page's server, a laptop slept); the hello and replay that
 * follow a reconnection rebuild the page.
 */
export class Connection {
  #ws: WebSocket | undefined;
  #closed = false;
  #retryMs = 500;

  constructor(private readonly on: ConnectionHandlers) {
    this.#open();
  }

  send(message: ClientMessage): boolean {
    if (this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(JSON.stringify(message));
    return true;
  }

  sendAudio(pcm: ArrayBuffer): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(pcm);
  }

  close(): void {
    this.#closed = true;
    this.#ws?.close();
  }

  #open(): void {
    const url = new URL("ws", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    const has = this.on.resume();
    if (has) {
      url.searchParams.set("resume_item", has.itemId);
      url.searchParams.set("resume_bytes", String(has.bytes));
    }
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    this.#ws = ws;
    ws.onopen = () => {
      this.#retryMs = 500;
      this.on.connected(true);
    };
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      if (typeof e.data === "string") this.on.message(JSON.parse(e.data) as ServerMessage);
      else this.on.audio(e.data);
    };
    ws.onclose = () => {
      this.on.connected(false);
      if (this.#closed) return;
      setTimeout(() => this.#open(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, 5_000);
    };
  }
}
