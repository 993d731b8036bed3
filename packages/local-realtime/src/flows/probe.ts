import WebSocket from "ws";

type Json = Record<string, unknown>;

/** Where a flow runs: a Realtime WebSocket URL (with `?model=`) and the key to present, if any. */
export interface Endpoint {
  url: string;
  apiKey?: string | undefined;
}

/**
 * A client for one scripted flow: sends events, waits for server events by type, records every server event.
 * Waits end at the event or at `timeoutMs` (a flow against the real API must not hang on a model that answers
 * differently); a timeout is recorded, not thrown, so the comparison shows it.
 */
export class Probe {
  readonly events: Json[] = [];
  private cursor = 0;
  private waiters: Array<() => void> = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      try {
        this.events.push(JSON.parse(String(data)) as Json);
      } catch {
        this.events.push({ type: "(unparsable server frame)" });
      }
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: String(reason) };
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(endpoint: Endpoint, headers: Record<string, string> = {}): Promise<Probe> {
    const ws = new WebSocket(endpoint.url, {
      headers: {
        ...(endpoint.apiKey ? { Authorization: `Bearer ${endpoint.apiKey}` } : {}),
        ...headers,
      },
    });
    const probe = new Probe(ws);
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(probe));
      ws.once("error", (e) => reject(e));
    });
  }

  send(event: Json): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(event));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data, { binary });
  }

  /** The next event of `type` after the last one taken, or undefined after `timeoutMs` or on close. */
  async next(type: string, timeoutMs = 15_000): Promise<Json | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.cursor; i < this.events.length; i++) {
        if (this.events[i]?.type === type) {
          this.cursor = i + 1;
          return this.events[i];
        }
      }
      const left = deadline - Date.now();
      if (this.closed || left <= 0) {
        this.events.push({ type: `(timed out waiting for ${type})` });
        return undefined;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the socket to close (or `timeoutMs`). */
  async closedOrAfter(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
  }

  close(): void {
    this.ws.terminate();
  }
}
