import { existsSync, readFileSync } from "node:fs";
import type { Approver, StartSessionOptions } from "@parley/core";
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { LogSettings } from "../logs/settings.ts";
import type { AgentCatalog } from "./agents.ts";
import { handleClientSecret, handleSession, handleSessionHangup } from "./browser.ts";
import { CallManager, type CallManagerOptions } from "./calls.ts";
import type { ServeConfig } from "./config.ts";
import type { ServeContext } from "./context.ts";
import { jsonLines, type LogWriter } from "./log.ts";
import { ServeMetrics } from "./metrics.ts";
import { RateLimiter, SeenIds } from "./rate-limit.ts";
import { DEFAULT_BASE_URL, RealtimeApi } from "./realtime-api.ts";
import type { CallSummary } from "./summary.ts";
import { handleWebhook } from "./webhook.ts";

export interface ServeAppOptions {
  agents: AgentCatalog;
  config?: ServeConfig;
  /** The API key (default OPENAI_API_KEY): accepts calls, creates WebRTC calls, mints client secrets. Never logged. */
  apiKey?: string;
  /** The webhook signing secret (default OPENAI_WEBHOOK_SECRET). */
  webhookSecret?: string;
  log?: LogWriter;
  approvers?: Approver[];
  /** Extra `startSession` options for every call. */
  session?: Partial<StartSessionOptions>;
  onSummary?: (summary: CallSummary) => void;
  /** Write a session log per call to this folder (`agent serve` does by default; off when undefined). */
  sessionLogs?: LogSettings;
  /** How often the session log folder is pruned to `sessionLogs.retention` (default hourly). */
  pruneEveryMs?: number;
  onAccepted?: (ms: number) => void;
  /**
   * The bearer token `GET /metrics` needs (default PARLEY_METRICS_TOKEN). Without one, only loopback clients may
   * read it. Never logged.
   */
  metricsToken?: string;
  /** Called when a call's session is attached (`agent serve --console` follows calls with it). */
  onSession?: CallManagerOptions["onSession"];
}

export interface ServeApp {
  /** The Hono app: mount it in your own server (`app.fetch`) or serve it with `@hono/node-server`. */
  readonly app: Hono;
  readonly fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  readonly calls: CallManager;
  /** The calls' OpenTelemetry metrics, as `GET /metrics` serves them. */
  readonly metrics: ServeMetrics;
  readonly draining: boolean;
  /**
   * Graceful drain: new calls are refused (503), running calls may finish for `limitMs`, then each is ended with
   * the goodbye line, and after `goodbyeMs` more closed outright. Resolves when no call is left.
   */
  drain(limitMs: number, goodbyeMs?: number): Promise<void>;
}

/**
 * The browser client module's text: a plain file in the package's browser/ folder (published as
 * `@parley/cli/browser`), found from the sources (src/serve/) and from the bundle (dist/, dist/chunks/, dist/serve/).
 */
function clientModule(): string {
  const candidates = ["../../browser/parley-client.js", "../browser/parley-client.js"];
  for (const candidate of candidates) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return readFileSync(url, "utf8");
  }
  return "throw new Error('the Parley browser client module is missing from this installation');\n";
}

/**
 * The serve handlers as one fetch-style app: the SIP webhook, browser sessions, client secrets, the browser client
 * module and health checks.
 *
 * @example
 * const agents = await AgentCatalog.open(["agents/front-desk.agent.yaml"], { log });
 * const serve = createServeApp({ agents });
 * honoServer.route("/voice", serve.app); // or: serve({ fetch: serve.fetch, port: 8080 })
 */
export function createServeApp(options: ServeAppOptions): ServeApp {
  const config = options.config ?? {};
  const log = options.log ?? jsonLines();
  const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY ?? "";
  const api = new RealtimeApi(
    apiKey,
    config.baseUrl ??
      process.env.PARLEY_API_BASE ??
      process.env.OPENAI_BASE_URL ??
      DEFAULT_BASE_URL,
  );
  // Read at scrape time only, when ctx (below) exists.
  const metrics: ServeMetrics = new ServeMetrics(
    { token: options.metricsToken ?? process.env.PARLEY_METRICS_TOKEN },
    (): { size: number; draining: boolean } => ({ size: calls.size, draining: ctx.draining }),
  );
  const calls = new CallManager({
    api,
    log,
    ...(options.approvers ? { approvers: options.approvers } : {}),
    ...(config.goodbye ? { goodbye: config.goodbye } : {}),
    // Every call is traced (global tracer provider) and measured (this app's /metrics), unless the app says otherwise.
    session: { telemetry: metrics.telemetry, ...options.session },
    ...(options.onSummary ? { onSummary: options.onSummary } : {}),
    ...(options.sessionLogs ? { sessionLogs: options.sessionLogs } : {}),
    ...(options.pruneEveryMs ? { pruneEveryMs: options.pruneEveryMs } : {}),
    ...(options.onSession ? { onSession: options.onSession } : {}),
  });
  const ctx: ServeContext = {
    config,
    agents: options.agents,
    api,
    calls,
    log,
    webhookSecret: options.webhookSecret ?? process.env.OPENAI_WEBHOOK_SECRET,
    maxCalls: config.maxCalls ?? 100,
    draining: false,
    seenWebhooks: new SeenIds(),
    seenCalls: new SeenIds(),
    clientSecretLimiter: new RateLimiter(config.clientSecret?.perMinute ?? 10),
    onAccepted: options.onAccepted,
  };
  const clientJs = clientModule();
  const app = new Hono();
  const browserOrigins = (origin: string) =>
    (config.browser?.allowedOrigins ?? []).includes(origin) ||
    (config.clientSecret?.allowedOrigins ?? []).includes(origin)
      ? origin
      : null;
  app.use("/session", cors({ origin: browserOrigins, exposeHeaders: ["x-parley-call-id"] }));
  app.use("/session/*", cors({ origin: browserOrigins }));
  app.use("/client-secret", cors({ origin: browserOrigins }));
  app.post("/openai/webhook", (c) => handleWebhook(c, ctx));
  app.post("/session", (c) => handleSession(c, ctx));
  app.delete("/session/:callId", (c) => handleSessionHangup(c, ctx));
  app.post("/client-secret", (c) =>
    handleClientSecret(c, ctx, clientKey(c.req.raw.headers, c.env)),
  );
  app.get("/client.js", (c) =>
    c.body(clientJs, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/metrics", (c) => metrics.respond(c.req.raw.headers, remoteAddress(c.env)));
  app.get("/readyz", (c) => {
    const ready = !ctx.draining && calls.size < ctx.maxCalls && options.agents.names.length > 0;
    return c.json(
      { ready, calls: calls.size, maxCalls: ctx.maxCalls, draining: ctx.draining },
      ready ? 200 : 503,
    );
  });
  return {
    app,
    fetch: app.fetch,
    calls,
    metrics,
    get draining() {
      return ctx.draining;
    },
    async drain(limitMs, goodbyeMs = 15_000) {
      ctx.draining = true;
      calls.stopPruning();
      log({ level: "info", msg: "draining", calls: calls.size, limitMs });
      if (await settled(calls.idle(), limitMs)) return;
      log({
        level: "info",
        msg: "drain limit reached; ending calls with a goodbye",
        calls: calls.size,
      });
      calls.goodbyeAll("the server is shutting down");
      if (await settled(calls.idle(), goodbyeMs)) return;
      await calls.closeAll();
      await calls.idle();
    },
  };
}

/** The peer's socket address when served by the node server (undefined when mounted elsewhere). */
function remoteAddress(env: unknown): string | undefined {
  return (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
    ?.socket?.remoteAddress;
}

/** The client's address for rate limiting: the socket's (node server), else the first X-Forwarded-For hop. */
function clientKey(headers: Headers, env: unknown): string {
  return remoteAddress(env) ?? headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "unknown";
}

/** True when `promise` settles within `ms`. */
async function settled(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([promise.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}
