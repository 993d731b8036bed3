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

  /** `early`: the socket main.tsx opened before the first render (see `openEarly`), used for the first connection. */
  constructor(
    private readonly on: ConnectionHandlers,
    early?: EarlySocket,
  ) {
    this.#open(early);
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

  #open(early?: EarlySocket): void {
    // A reconnection asks for the rest of the agent's audio from where this page was; the early socket (the page's
    // first connection) has nothing to resume.
    const ws = early?.ws ?? socket(this.on.resume());
    this.#ws = ws;
    const opened = () => {
      this.#retryMs = 500;
      this.on.connected(true);
    };
    const received = (e: MessageEvent<string | ArrayBuffer>) => {
      if (typeof e.data === "string") this.on.message(JSON.parse(e.data) as ServerMessage);
      else this.on.audio(e.data);
    };
    const closed = () => {
      this.on.connected(false);
      if (this.#closed) return;
      setTimeout(() => this.#open(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, 5_000);
    };
    ws.onopen = opened;
    ws.onmessage = received;
    ws.onclose = closed;
    if (!early) return;
    // What the early socket did before the page took it over, in order: opened, received, maybe closed.
    if (ws.readyState !== WebSocket.CONNECTING) opened();
    for (const e of early.received.splice(0)) received(e);
    if (ws.readyState === WebSocket.CLOSING || ws.readyState === WebSocket.CLOSED) closed();
  }
}

/** A socket opened as the page's script starts, and what it received until the page took it over. */
export interface EarlySocket {
  ws: WebSocket;
  received: MessageEvent<string | ArrayBuffer>[];
}

/**
 * Opens the socket before the page's first render, so the handshake and the hello overlap with it (a Connection
 * created in an effect would wait for the first frame to be painted); `new Connection(handlers, early)` takes it over.
 */
export function openEarly(): EarlySocket {
  const early: EarlySocket = { ws: socket(), received: [] };
  early.ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => early.received.push(e);
  return early;
}

/** The page's socket, at `ws` beside the page; marks when it opens (the page's load timeline, `pnpm bench console`). */
function socket(resume?: { itemId: string; bytes: number }): WebSocket {
  const url = new URL("ws", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  if (resume) {
    url.searchParams.set("resume_item", resume.itemId);
    url.searchParams.set("resume_bytes", String(resume.bytes));
  }
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  ws.addEventListener("open", () => performance.mark("parley:socket-open"), { once: true });
  return ws;
}
