import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import type { ClientOptions } from "ws";
import { type Clock, systemClock } from "../clock/index.ts";
import type { ResponsesClient } from "../delegate/host.ts";
import type { LoadedAgent, LoadedHandoff } from "../load/index.ts";
import { createLogger, type Logger, redactString } from "../log/index.ts";
import { defaultPrices, type PriceTable } from "../pricing/index.ts";
import type { ToolSchedulerOptions } from "../scheduler/tool-scheduler.ts";
import { defaultTelemetry, type Telemetry } from "../telemetry/telemetry.ts";
import type { KeepaliveOptions } from "../transport/keepalive.ts";
import type { Transport, TransportFactory } from "../transport/transport.ts";
import { wsTransport } from "../transport/ws-transport.ts";
import { apiBaseFor, apiBaseOfRealtimeUrl, realtimeUrlOf, responsesClient } from "./api-base.ts";
import { SessionError } from "./errors.ts";
import type { StreamListener } from "./event-stream.ts";
import type { SessionEvents } from "./events.ts";
import type { ReconnectOptions } from "./reconnect/options.ts";
import { type CallHandlerFactory, Session, type SessionInit } from "./session.ts";
import {
  compileFor,
  defaultTools,
  loadHandoffFile,
  NO_VARIABLES,
  reconnectSettingsFor,
  templatingFor,
} from "./session-shared.ts";
import type { TextFallbackOptions } from "./text-fallback.ts";

/** The API's WebSocket endpoint; `?model=` (or `?call_id=`) is added. */
export const OPENAI_REALTIME_URL = "wss://api.openai.com/v1/realtime";

export interface StartSessionOptions {
  /** The agent to run (from `loadAgent`); compiled to the session's `session.update`. */
  agent?: LoadedAgent;
  /** A ready `session.update` (for example from `compileSession`); used as is instead of compiling `agent`. */
  session?: SessionUpdateEvent;
  /**
   * What carries the session: a Transport, or a factory called once per connection attempt (attempt 1 now).
   * Default: the `ws` transport to `url` with `apiKey` (`url`, `apiKey`, `clientSecret`, `callId`, `ws` are then
   * not used).
   *
   * @example
   * const { client, server } = memoryTransportPair(); // @parley/core/testing
   * acceptInMemory(server, { pace: 0 });              // @parley/local-realtime
   * const session = await startSession({ agent, transport: client });
   */
  transport?: Transport | TransportFactory;
  /** Server URL (default the OpenAI API; a local server's `url` works the same). */
  url?: string;
  /**
   * The API base for this session (per-region, e.g. EU data residency `https://eu.api.openai.com/v1`): the Realtime
   * WebSocket (unless `url` is given) and delegate tools' Responses calls use it. Default: the agent file's
   * `apiBase`, else `PARLEY_API_BASE` / `OPENAI_BASE_URL`, else `https://api.openai.com/v1`.
   */
  apiBase?: string;
  /**
   * The Responses client delegate tools call (`client.responses` of an `openai` client fits). Default: one for the
   * session's API base (or, with `url`, the same server's REST base) and key; `false` for none (delegate calls fail).
   */
  responses?: ResponsesClient | false;
  /** API key (default `OPENAI_API_KEY`). Never logged. */
  apiKey?: string;
  /** An ephemeral client secret (`ek_…`) instead of an API key. */
  clientSecret?: string;
  /** Attach to a SIP call accepted with `/calls/{id}/accept` (`?call_id=` instead of `?model=`). */
  callId?: string;
  /** Session variables, over the agent's defaults: fill `{{templates}}` and reach tools as `ctx.variables`. */
  variables?: Record<string, unknown>;
  /**
   * The tool-call handler: a factory given the runtime's host, or `false` for none (calls then get an error
   * output). Default: the agent's ToolScheduler when the agent has tools.
   */
  tools?: CallHandlerFactory | false;
  /** Options for the default ToolScheduler (approvers, audit log, timeouts…), over what the agent file says. */
  scheduler?: Partial<ToolSchedulerOptions>;
  /**
   * Loads the agent a `transfer_to_<name>` call hands off to (default `loadAgent(handoff.file)`, with the process
   * env). Pass your own to give loader options (env, missingEnv) or to cache agents.
   */
  loadHandoff?: (handoff: LoadedHandoff, from: LoadedAgent) => Promise<LoadedAgent>;
  /**
   * Text fallback: this many audio-path errors (failed input transcriptions, error events about audio or
   * transcription) within `windowMs` switch the session to text (default 3 within 60 s). See docs/runtime.md.
   */
  textFallback?: TextFallbackOptions;
  /**
   * The stalled-response watchdog: a response with no event for `stallMs` (default 30 s) is reported (`error`,
   * code `response_stalled`) and cancelled; if the server does not confirm within `graceMs` (default 5 s) its slot
   * in the response queue is given back. `false` turns it off.
   */
  watchdog?: { stallMs?: number; graceMs?: number } | false;
  /** Price overrides per model, merged over the defaults (USD per 1M tokens). */
  prices?: PriceTable;
  /** What the agent says before it ends the session on a limit. */
  goodbye?: string;
  /** The app's playback position (ms heard) of an agent item; used on barge-in instead of the estimate. */
  playedMs?: (itemId: string) => number | undefined;
  /**
   * Listeners attached before connecting, so they see the handshake too (`client.event` gets the first
   * `session.update`; `error` gets a refused configuration).
   */
  on?: { [K in keyof SessionEvents]?: SessionEvents[K] };
  /** A listener of the session's event stream (`session.onEvent`), attached before connecting. */
  onEvent?: StreamListener;
  /**
   * OpenTelemetry traces and metrics for this session (docs/observability.md): `true` uses the global providers
   * (whatever SDK the app registered; no-ops without one), or pass a `Telemetry` with its own. Off by default.
   */
  telemetry?: Telemetry | boolean;
  clock?: Clock;
  /** Connect and handshake timeout, and the longest wait for a goodbye (default 15 s). */
  timeoutMs?: number;
  /**
   * WebSocket keepalive pings of the default `ws` transport: after `intervalMs` (default 15 s) without a frame from the
   * server a ping goes out, and no answer within `timeoutMs` (default 10 s) ends the connection as a drop, so a dead
   * peer is noticed even while nothing is being said. `false` turns it off.
   */
  keepalive?: KeepaliveOptions | false;
  /**
   * Survive dropped connections and the API's hour cap: a new connection with the same configuration, the
   * conversation replayed, the agent resuming (see docs/runtime.md, "Reconnect and restore"). On by default when
   * the session can open new connections (the default `ws` transport, or a `transport` factory); `false` makes a
   * drop end the session.
   */
  reconnect?: ReconnectOptions | false;
  /** Extra `ws` client options (e.g. `{ ca }` or `{ rejectUnauthorized: false }` for a local TLS server). */
  ws?: ClientOptions;
  log?: Logger;
}

const DEFAULT_GOODBYE = "I'm sorry, I have to end our conversation here. Goodbye!";

/**
 * Connects to the Realtime API (or a local server), configures the session for the agent and returns it once the
 * server has accepted the configuration; the agent's greeting, if any, is on its way.
 *
 * @example
 * const agent = await loadAgent("concierge.agent.yaml");
 * const session = await startSession({ agent, variables: { guest_name: "Ada" } });
 * session.on("agent.transcript.done", ({ transcript }) => console.log(transcript));
 * session.sendText("Is breakfast included?");
 */
export async function startSession(options: StartSessionOptions): Promise<Session> {
  const log = options.log ?? createLogger("parley:runtime");
  const agent = options.agent;
  const given = options.variables ?? NO_VARIABLES;
  const update = options.session ?? compileFor(agent, given);
  const model = modelOf(update) ?? agent?.config.model ?? "gpt-realtime";
  const factory = transportFactoryFor(options, model, log);
  const transport = factory ? factory({ attempt: 1 }) : (options.transport as Transport);
  const limits = agent?.config.limits;
  const templating = templatingFor(given);
  const init = sharedInit({
    ...(factory && options.reconnect !== false
      ? {
          transportFactory: factory,
          reconnect: reconnectSettingsFor(agent, options.reconnect || undefined),
          announceOf: templating.announceOf,
        }
      : {}),
    update,
    ...(agent ? { agent } : {}),
    givenVariables: given,
    loadHandoff: options.loadHandoff ?? loadHandoffFile,
    ...(options.watchdog === undefined ? {} : { watchdog: options.watchdog }),
    ...(options.textFallback === undefined ? {} : { textFallback: options.textFallback }),
    compile: templating.compile,
    ...(options.callId ? { callId: options.callId } : {}),
    clock: options.clock ?? systemClock,
    // The default table is shared (never written); overrides get the session its own.
    prices: options.prices ? { ...defaultPrices, ...options.prices } : defaultPrices,
    tools:
      options.tools === false
        ? undefined
        : (options.tools ?? defaultTools(agent, options.scheduler, log)),
    playedMs: options.playedMs,
    greeting: agent ? templating.greetingOf(agent) : undefined,
    greetingOf: templating.greetingOf,
    goodbye: options.goodbye ?? DEFAULT_GOODBYE,
    budgetUsd: limits?.costBudgetUsd,
    maxSessionLengthMs: limits?.maxSessionLength,
    timeoutMs: options.timeoutMs ?? 15_000,
    log,
    ...responsesFor(options, agent),
  });
  const session = new Session(init, transport);
  if (options.onEvent) session.onEvent(options.onEvent);
  const telemetry =
    options.telemetry === true ? defaultTelemetry() : options.telemetry || undefined;
  if (telemetry) telemetry.attach(session, options.clock ?? systemClock);
  for (const [name, fn] of Object.entries(options.on ?? {}))
    session.on(name as keyof SessionEvents, fn as never);
  try {
    return await session.start();
  } catch (error) {
    await session.abort(error instanceof Error ? error.message : String(error)).catch(() => {});
    throw error;
  }
}

/**
 * What opens the session's connections: the caller's factory, else one opening `ws` transports to the API or `url`.
 * Undefined when the caller gave one ready transport (it cannot be opened again, so a drop ends the session).
 */
function transportFactoryFor(
  options: StartSessionOptions,
  model: string,
  log: Logger,
): TransportFactory | undefined {
  const given = options.transport;
  if (given) return typeof given === "function" ? given : undefined;
  const url = realtimeUrl(
    options.url ??
      realtimeUrlOf(apiBaseFor({ option: options.apiBase, agent: options.agent?.config.apiBase })),
    model,
    options.callId,
  );
  const credential =
    options.apiKey ??
    options.clientSecret ??
    (options.url ? undefined : process.env.OPENAI_API_KEY);
  if (!credential && !options.url) {
    throw new SessionError(
      "missing_credentials",
      "no API key: set OPENAI_API_KEY or pass apiKey (or clientSecret)",
    );
  }
  // Sessions started with the same connection options share one factory (an idle session would otherwise hold a
  // closure, its context, the headers and a copy of the URL, ~0.3 KB, for a reconnect it may never make).
  const last = lastFactory;
  if (
    last?.url === url &&
    last.credential === credential &&
    last.ws === options.ws &&
    last.clock === options.clock &&
    last.keepalive === options.keepalive &&
    last.log === log
  )
    return last.factory;
  // Only the credential's header: the factory is shared by reference to `options.ws`, whose `headers` the caller may
  // change between sessions (a per-call trace id), so the transport reads them at each connect.
  const transportOptions = {
    url,
    ...(credential ? { headers: { Authorization: `Bearer ${credential}` } } : {}),
    ...(options.ws ? { ws: options.ws } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.keepalive === undefined ? {} : { keepalive: options.keepalive }),
    log,
  };
  const factory: TransportFactory = () => {
    log.debug("connecting", { url: redactString(url) });
    return wsTransport(transportOptions);
  };
  lastFactory = {
    url,
    credential,
    ws: options.ws,
    clock: options.clock,
    keepalive: options.keepalive,
    log,
    factory,
  };
  return factory;
}

/**
 * The last default transport factory made, for the next session with the same connection options. Like `lastInit`,
 * it outlives the sessions that used it (their `ws` options, logger and credential stay reachable, a reloaded agent
 * through `lastInit`) until a start with other options replaces it: one object each, whatever the session count.
 */
let lastFactory:
  | {
      url: string;
      credential: string | undefined;
      ws: ClientOptions | undefined;
      clock: Clock | undefined;
      keepalive: KeepaliveOptions | false | undefined;
      log: Logger;
      factory: TransportFactory;
    }
  | undefined;

/**
 * The last sessions' init (everything but the transport), shared by the next session whose init holds the same
 * values: a server starting sessions of one agent with the same options keeps one object for all of them, not ~25
 * fields per idle session. Frozen: nothing writes it.
 */
let lastInit: SessionInit | undefined;

function sharedInit(init: SessionInit): SessionInit {
  const last = lastInit;
  if (last && sameFields(last, init)) return last;
  lastInit = Object.freeze(init);
  return lastInit;
}

function sameFields(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka)
    if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}

/** The Responses client of the session's delegate tools (none with only a client secret: the API refuses those). */
function responsesFor(
  options: StartSessionOptions,
  agent: LoadedAgent | undefined,
): { responsesClient?: ResponsesClient } {
  if (options.responses === false) return {};
  if (options.responses) return { responsesClient: options.responses };
  const apiBase =
    options.url && !options.apiBase
      ? apiBaseOfRealtimeUrl(options.url)
      : apiBaseFor({ option: options.apiBase, agent: agent?.config.apiBase });
  // A local server takes any key (or the one it was started with, which the caller passes as apiKey).
  const apiKey = options.apiKey ?? (options.url ? "local" : process.env.OPENAI_API_KEY);
  if (!apiKey) return {};
  const warm = agent?.tools.some((t) => t.delegate) ?? false;
  // Sessions with the same API base and key share one client (it holds no per-session state).
  const last = lastResponses;
  if (last?.apiBase === apiBase && last.apiKey === apiKey && (last.warm || !warm))
    return { responsesClient: last.client };
  const client = responsesClient({ apiBase, apiKey, warm });
  lastResponses = { apiBase, apiKey, warm, client };
  return { responsesClient: client };
}

/** The last Responses client made, for the next session with the same base and key. */
let lastResponses:
  | { apiBase: string; apiKey: string; warm: boolean; client: ResponsesClient }
  | undefined;

/** The WebSocket URL for a model (or a SIP call), keeping a caller's own query (a local server's URL). */
export function realtimeUrl(base: string | undefined, model: string, callId?: string): string {
  const url = new URL(base ?? OPENAI_REALTIME_URL);
  if (!url.searchParams.has("model") && !url.searchParams.has("call_id")) {
    if (callId) url.searchParams.set("call_id", callId);
    else url.searchParams.set("model", model);
  }
  return url.toString();
}

function modelOf(update: SessionUpdateEvent): string | undefined {
  const m = (update.session as { model?: unknown }).model;
  return typeof m === "string" ? m : undefined;
}
