import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { ClientSecrets } from "./calls/client-secrets.ts";
import { handleHttpApi } from "./calls/http-api.ts";
import { CallRegistry } from "./calls/registry.ts";
import { checkSideband } from "./calls/sideband.ts";
import {
  type SimulatedCall,
  type SimulatedCallOptions,
  simulateIncomingCall,
} from "./calls/simulated-caller.ts";
import { realClock, type ServerClock } from "./clock.ts";
import { type ConnectRefusal, connectRefusal } from "./connect/refusal.ts";
import { Connection } from "./connection.ts";
import { LocalRealtimeError } from "./errors.ts";
import type { FaultOptions } from "./faults.ts";
import { MAX_FRAME_BYTES } from "./limits.ts";
import { rulesModel } from "./models/rules.ts";
import { scriptedModel } from "./models/scripted.ts";
import type { RealtimeModel } from "./models/types.ts";
import { decodeScript, SCRIPT_PARAM } from "./models/url-script.ts";
import { handleResponses, type ResponsesEndpointContext } from "./responses-api/endpoint.ts";
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
  /**
   * The simulated text model of `POST /v1/responses` (delegate tools' text model). Default: the rules model, which
   * calls the function tools it is given as the realtime one does, then answers about their outputs.
   */
  textModel?: RealtimeModel;
  /** Model name reported in sessions when the URL names none (default "gpt-realtime"). */
  modelName?: string;
  /** Timing scale of text, `wait` actions and audio: 1 (default) = as below, 0 = as fast as possible, 0.1 = ten times faster. */
  pace?: number;
  /**
   * How fast output audio is sent, in multiples of real time (default 4: like the API, which sends a reply's audio
   * faster than it plays, so a barge-in usually comes after response.done). 1 = real time, for demos.
   */
  audioPace?: number;
  /** The session's date (what "tomorrow" or "Friday" mean to the rules model); default: today. */
  today?: Date | string;
  /** Faults injected into every connection (see FaultOptions); change later with `setFaults`. */
  faults?: FaultOptions;
  /** Called with every server event before it is sent, e.g. to validate it against the spec in tests. */
  onServerEvent?: (event: Record<string, unknown>) => void;
  /**
   * The clock for audio pacing, `wait` actions and fault latency (default: real time). Core's `VirtualClock`
   * fits, so a test can step a conversation's timing exactly.
   */
  clock?: ServerClock;
  /**
   * Let a client hand one connection a script (`?parley_script=`, see `encodeScript`) played by the scripted model
   * instead of `model`. Off by default; `agent sim` turns it on so `agent test --url` can play its scenarios there.
   */
  scriptsFromUrl?: boolean;
}

/** Output audio goes out this many times faster than real time unless `audioPace` says otherwise. */
export const DEFAULT_AUDIO_PACE = 4;

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
  /** Every call (SIP and WebRTC) the server knows, with its state, referrals and sidebands. */
  readonly calls: CallRegistry;
  /**
   * Rings the app: registers a SIP call, sends a signed `realtime.call.incoming` to `webhookUrl`, and returns the
   * caller's side (answer, speech, the agent's lines, hang-up). An unanswered call is dropped as the API does.
   *
   * @example
   * const call = await server.simulateIncomingCall({ webhookUrl, secret: process.env.OPENAI_WEBHOOK_SECRET! });
   * await call.answered; await call.waitForAgent(/welcome/i); await call.say("hi"); call.hangUp();
   */
  simulateIncomingCall(options: SimulatedCallOptions): Promise<SimulatedCall>;
  setFaults(faults: FaultOptions): void;
  /** `POST /v1/responses` requests answered so far. */
  readonly textRequests: number;
  /** Closes every session and stops listening. */
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  503: "Service Unavailable",
};
/** The API's way to refuse an upgraded session: one `error` event, then a close with `type.code` as the reason. */
function refuseSession(
  ws: WebSocket,
  refusal: ConnectRefusal,
  onServerEvent: ((event: Record<string, unknown>) => void) | undefined,
): void {
  const event = {
    type: "error",
    event_id: `event_refused${Date.now().toString(36)}`,
    error: {
      type: "invalid_request_error",
      code: refusal.code,
      message: refusal.message,
      param: null,
      event_id: null,
    },
  };
  onServerEvent?.(event);
  ws.send(JSON.stringify(event));
  ws.close(
    refusal.closeCode,
    refusal.code ? `invalid_request_error.${refusal.code}` : "invalid_request_error",
  );
}

function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({
    error: {
      message,
      type: status >= 500 ? "server_error" : "invalid_request_error",
      code,
      param: null,
    },
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
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
  const audioPace = options.audioPace ?? DEFAULT_AUDIO_PACE;
  if (!(audioPace > 0))
    throw new LocalRealtimeError(
      "invalid_option",
      `audioPace must be a number > 0 (1 = real time; got ${String(options.audioPace)})`,
    );
  const host = options.host ?? "127.0.0.1";
  const model = options.model ?? rulesModel();
  let faults: FaultOptions = options.faults ?? {};
  /** Connection attempts still to refuse (faults.refuseConnections, counted from when the faults were set). */
  let refuseLeft = faults.refuseConnections ?? 0;
  const credentials =
    options.tls === true ? await selfSignedCertificate() : options.tls || undefined;
  const server: Server = credentials
    ? createHttpsServer({ cert: credentials.cert, key: credentials.key })
    : createHttpServer();
  const calls = new CallRegistry();
  const secrets = new ClientSecrets();
  const modelName = options.modelName ?? "gpt-realtime";
  const api = { calls, secrets, apiKey: options.apiKey, modelName };
  const textApi: ResponsesEndpointContext = {
    apiKey: options.apiKey,
    model: options.textModel ?? rulesModel(),
    today: () => (options.today === undefined ? new Date() : new Date(options.today)),
    count: 0,
  };
  server.on("request", (req, res) => {
    handleResponses(req, res, textApi)
      .then((done) => done || handleHttpApi(req, res, api))
      .then(
        (handled) => {
          if (!handled) notFound(res);
        },
        (error: unknown) => {
          if (res.headersSent) return res.destroy();
          res.writeHead(500, { "content-type": "application/json" });
          res.end(
            JSON.stringify({ error: { message: String(error), type: "server_error", code: null } }),
          );
        },
      );
  });
  const notFound = (res: import("node:http").ServerResponse) => {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: {
          message:
            "The local Realtime server serves WebSocket sessions at /v1/realtime, the calls endpoints, client secrets and POST /v1/responses.",
          type: "invalid_request_error",
          code: "not_found",
        },
      }),
    );
  };
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
    const secret = key?.startsWith("ek_") ? secrets.lookup(key) : undefined;
    if (secret === "expired")
      return rejectUpgrade(socket, 401, "invalid_api_key", "The client secret has expired.");
    if (refuseLeft > 0) {
      refuseLeft--;
      return rejectUpgrade(
        socket,
        503,
        "server_unavailable",
        "The local Realtime server refused this connection (faults.refuseConnections).",
      );
    }
    const callId = url.searchParams.get("call_id");
    const attach = callId === null ? undefined : checkSideband(calls, callId);
    if (attach && !attach.ok)
      return rejectUpgrade(socket, attach.status, attach.code, attach.message);
    const call = attach?.call;
    let connectionModel = model;
    const script = options.scriptsFromUrl ? url.searchParams.get(SCRIPT_PARAM) : null;
    if (script !== null) {
      try {
        connectionModel = scriptedModel(decodeScript(script));
      } catch (error) {
        return rejectUpgrade(socket, 400, "invalid_request_error", (error as Error).message);
      }
    }
    // A valid client secret stands in for the API key, as it does for the API.
    const refusal = connectRefusal(request, url, secret ? options.apiKey : key, options.apiKey);
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      if (refusal) return refuseSession(ws, refusal, options.onServerEvent);
      const connection = new Connection(ws, ++count, {
        model: connectionModel,
        modelName: url.searchParams.get("model") ?? modelName,
        pace,
        audioPace,
        today: options.today,
        faults: () => faults,
        clock: options.clock ?? realClock,
        onServerEvent: call
          ? (event) => {
              options.onServerEvent?.(event);
              calls.emit("event", call, event);
            }
          : options.onServerEvent,
        initialSession: call ? call.session : secret?.session,
      });
      if (call) calls.attach(call, ws, connection);
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
    get textRequests() {
      return textApi.count;
    },
    get sessions() {
      return live.size;
    },
    get bufferedBytes() {
      let total = 0;
      for (const ws of wss.clients) total += ws.bufferedAmount;
      return total;
    },
    calls,
    simulateIncomingCall: (simulated) => simulateIncomingCall(calls, simulated),
    setFaults(next) {
      faults = next;
      refuseLeft = next.refuseConnections ?? 0;
    },
    async close() {
      calls.endAll();
      for (const ws of wss.clients) ws.terminate();
      for (const c of live) c.dispose();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
