import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { realClock, type ServerClock } from "./clock.ts";
import { Connection } from "./connection.ts";
import { LocalRealtimeError } from "./errors.ts";
import type { FaultOptions } from "./faults.ts";
import { MAX_FRAME_BYTES } from "./limits.ts";
import { rulesModel } from "./models/rules.ts";
import type { RealtimeModel } from "./models/types.ts";
import { selfSignedCertificate, type TlsCredentials } from "./tls.ts";

export interface LocalRealtimeOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Interface to bind (default "127.0.0.1": loopback only). */
  host?: string;
  /** Serve wss:// — `true` generates a self-signed certificate for localhost; or pass your own PEMs. */
  tls?: boolean | TlsCredentials;
  /** When set, only this bearer key is accepted; by default any key (or none) is. */
  apiKey?: string;
  /** The simulated model (default: the rules model). */
  model?: RealtimeModel;
  /** Model name reported in sessions when the URL names none (default "gpt-realtime"). */
  modelName?: string;
  /** Audio and text timing: 1 = real time (default), 0 = as fast as possible, 0.1 = ten times faster. */
  pace?: number;
  /** Faults injected into every connection (see FaultOptions); change later with `setFaults`. */
  faults?: FaultOptions;
  /** Called with every server event before it is sent, e.g. to validate it against the spec in tests. */
  onServerEvent?: (event: Record<string, unknown>) => void;
  /**
   * The clock for audio pacing, `wait` actions and fault latency (default: real time). Core's `VirtualClock`
   * fits, so a test can step a conversation's timing exactly.
   */
  clock?: ServerClock;
}

export interface LocalRealtime {
  /** `ws://127.0.0.1:PORT/v1/realtime` (or `wss://localhost:PORT/v1/realtime`); add `?model=…` as with the API. */
  readonly url: string;
  /** The API base URL the `openai` client takes: `http(s)://host:PORT/v1`. */
  readonly baseURL: string;
  readonly port: number;
  readonly host: string;
  /** The certificate when serving TLS (trust it on the client side). */
  readonly certificate: string | undefined;
  /** Sessions currently connected. */
  readonly sessions: number;
  /**
   * Bytes queued for clients that their sockets have not taken yet, over all sessions. Backpressure keeps it
   * near `OUTPUT_HIGH_WATER_BYTES` per session however slowly a client reads.
   */
  readonly bufferedBytes: number;
  setFaults(faults: FaultOptions): void;
  /** Closes every session and stops listening. */
  close(): Promise<void>;
}

function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({
    error: { message, type: "invalid_request_error", code, param: null },
  });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : "Not Found"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Bearer key from the Authorization header, or from the browser-style `openai-insecure-api-key.<key>` subprotocol. */
function presentedKey(request: IncomingMessage): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice("Bearer ".length).trim();
  const protocols = String(request.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim());
  return protocols
    .find((p) => p.startsWith("openai-insecure-api-key."))
    ?.slice("openai-insecure-api-key.".length);
}

/**
 * Starts a local server speaking the OpenAI Realtime GA protocol over WebSocket, with a deterministic simulated
 * model. Same URL shape as the API (`/v1/realtime?model=…` or `?call_id=…`) and bearer auth.
 *
 * @example
 * const server = await startLocalRealtime({ pace: 0 });
 * const ws = new WebSocket(`${server.url}?model=gpt-realtime`, { headers: { Authorization: "Bearer test" } });
 * // … session.created arrives first …
 * await server.close();
 */
export async function startLocalRealtime(
  options: LocalRealtimeOptions = {},
): Promise<LocalRealtime> {
  const pace = options.pace ?? 1;
  if (!(pace >= 0))
    throw new LocalRealtimeError(
      "invalid_option",
      `pace must be a number >= 0 (got ${String(options.pace)})`,
    );
  const host = options.host ?? "127.0.0.1";
  const model = options.model ?? rulesModel();
  let faults: FaultOptions = options.faults ?? {};
  const credentials =
    options.tls === true ? await selfSignedCertificate() : options.tls || undefined;
  const server: Server = credentials
    ? createHttpsServer({ cert: credentials.cert, key: credentials.key })
    : createHttpServer();
  server.on("request", (_req, res) => {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: {
          message: "The local Realtime server only serves WebSocket sessions at /v1/realtime.",
          type: "invalid_request_error",
          code: "not_found",
        },
      }),
    );
  });
  const wss = new WebSocketServer({
    noServer: true,
    // Browsers offer ["realtime", "openai-insecure-api-key.…"]; answer with "realtime".
    handleProtocols: (protocols) => (protocols.has("realtime") ? "realtime" : false),
    perMessageDeflate: false,
    // Frames up to 15 MiB are events; a little above gets the API's error event; far above is not buffered at all.
    maxPayload: MAX_FRAME_BYTES,
  });
  const live = new Set<Connection>();
  let count = 0;

  server.on("upgrade", (request, socket, head) => {
    const url = new URL(request.url ?? "/", "http://local");
    if (url.pathname !== "/v1/realtime" && url.pathname !== "/v1/realtime/") {
      return rejectUpgrade(
        socket,
        404,
        "not_found",
        `No Realtime endpoint at ${url.pathname}; use /v1/realtime?model=…`,
      );
    }
    const key = presentedKey(request);
    if (options.apiKey !== undefined && key !== options.apiKey) {
      return rejectUpgrade(
        socket,
        401,
        "invalid_api_key",
        "Incorrect API key provided to the local Realtime server.",
      );
    }
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const connection = new Connection(ws, ++count, {
        model,
        modelName: url.searchParams.get("model") ?? options.modelName ?? "gpt-realtime",
        pace,
        faults: () => faults,
        clock: options.clock ?? realClock,
        onServerEvent: options.onServerEvent,
      });
      live.add(connection);
      ws.on("close", () => live.delete(connection));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new LocalRealtimeError(
          "listen_failed",
          `Could not listen on ${host}:${options.port ?? 0}: ${e.code === "EADDRINUSE" ? "the port is in use" : e.message}`,
          { cause: e },
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost =
    credentials && (host === "127.0.0.1" || host === "::1")
      ? "localhost"
      : host.includes(":")
        ? `[${host}]`
        : host;
  const scheme = credentials ? "wss" : "ws";
  return {
    url: `${scheme}://${shownHost}:${port}/v1/realtime`,
    baseURL: `${credentials ? "https" : "http"}://${shownHost}:${port}/v1`,
    port,
    host,
    certificate: credentials?.cert,
    get sessions() {
      return live.size;
    },
    get bufferedBytes() {
      let total = 0;
      for (const ws of wss.clients) total += ws.bufferedAmount;
      return total;
    },
    setFaults(next) {
      faults = next;
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      for (const c of live) c.dispose();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
