import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { type Asset, loadConsoleAssets } from "./assets.ts";
import type { ResumeFrom } from "./playback.ts";
import { CONSOLE_PATHS } from "./protocol.ts";

export interface ConsoleServerOptions {
  /** Interface to bind (default 127.0.0.1: only this machine). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** The secret in every URL (default: 24 random bytes, base64url). */
  token?: string;
  /** An authorised page connected its WebSocket; `resume`: what it already has of the agent's audio. */
  onSocket(socket: WebSocket, resume: ResumeFrom | undefined): void;
  /** The downloads: the transcript (text) and the event log (JSON lines), both redacted. */
  transcript(): string;
  events(): string;
}

export interface ConsoleServer {
  /** The page's address, token included: `http://127.0.0.1:PORT/<token>/`. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** Images travel base64 in one message: up to core's 10 MB image cap, plus room. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Serves the console page and its WebSocket under `/<token>/`. Anything without the token gets a bare 404 (the
 * token is the only key: it never appears elsewhere, and a wrong one says nothing about why). A WebSocket whose
 * Origin is another site is refused, so a page elsewhere cannot drive the session even if it learnt the port.
 *
 * @example
 * const server = await startConsoleServer({ onSocket: (ws) => hub.add(ws), transcript, events });
 * console.log(server.url);
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = options.token ?? randomBytes(24).toString("base64url");
  const assets = loadConsoleAssets();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const server = createServer((req, res) => serveHttp(req, res, token, assets, options));
  server.on("upgrade", (req, socket, head) => {
    const path = tokenPath(req.url, token);
    if (path !== CONSOLE_PATHS.socket || !sameOrigin(req)) {
      socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => options.onSocket(ws, resumeFrom(req.url)));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/${token}/`,
    port,
    token,
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serveHttp(
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  assets: Map<string, Asset>,
  options: ConsoleServerOptions,
): void {
  const path = tokenPath(req.url, token);
  if (path === undefined || (req.method !== "GET" && req.method !== "HEAD")) {
    notFound(res);
    return;
  }
  // `/<token>` → `/<token>/`: the page's files are relative to it.
  if (path === null) {
    res.writeHead(308, { location: `/${token}/`, "cache-control": "no-store" });
    return void res.end();
  }
  const headers = {
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
  };
  if (path === CONSOLE_PATHS.transcript || path === CONSOLE_PATHS.events) {
    const text = path === CONSOLE_PATHS.events ? options.events() : options.transcript();
    res.writeHead(200, {
      ...headers,
      "content-type": `${path.endsWith(".jsonl") ? "application/jsonl" : "text/plain"}; charset=utf-8`,
      "content-disposition": `attachment; filename="parley-${path}"`,
    });
    return void res.end(text);
  }
  const asset = assets.get(path === CONSOLE_PATHS.page ? "index.html" : path);
  if (!asset) {
    notFound(res);
    return;
  }
  res.writeHead(200, {
    ...headers,
    "content-type": asset.type,
    // Everything the page needs is served from here: no CDN, no inline script, nothing fetched elsewhere.
    "content-security-policy":
      "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; worker-src 'self'",
  });
  res.end(req.method === "HEAD" ? undefined : asset.body);
}

/**
 * The path after `/<token>/` (`""` for the page), `null` for `/<token>` itself, undefined when the token is wrong or
 * missing. Compared in constant time.
 */
export function tokenPath(url: string | undefined, token: string): string | null | undefined {
  const pathname = (url ?? "/").split("?")[0] as string;
  const [, given, ...rest] = pathname.split("/");
  if (given === undefined || !sameSecret(given, token)) return undefined;
  return rest.length === 0 ? null : rest.join("/");
}

/** A reconnecting page's `?resume_item=<item id>&resume_bytes=<n>`: the agent audio it already has. */
export function resumeFrom(url: string | undefined): ResumeFrom | undefined {
  const query = new URLSearchParams((url ?? "").split("?")[1] ?? "");
  const itemId = query.get("resume_item");
  const bytes = Number(query.get("resume_bytes"));
  if (!itemId || !Number.isSafeInteger(bytes) || bytes < 0) return undefined;
  return { itemId, bytes };
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** No Origin (a non-browser client) or the console's own: a browser page elsewhere is refused. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end("not found\n");
}
