import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { LoadedAgent, LoadedHandoff } from "../contracts/agent.ts";
import type { ResponsesClient } from "../delegate/host.ts";
import type { Logger } from "../log/index.ts";
import type { PriceTable } from "../pricing/index.ts";
import type { CallHandler, SchedulerHost } from "../scheduler/host.ts";
import type { Transport, TransportFactory } from "../transport/transport.ts";
import type { ReconnectSettings } from "./reconnect/options.ts";
import type { TextFallbackOptions } from "./text-fallback.ts";

/**
 * Builds the tool-call handler (the scheduler) for a session, over the host the runtime gives it. With `lazy`, the
 * session builds it on its first tool call (or whatever first needs it) instead of at the start: a factory whose
 * handler reports nothing at construction (`startSession`'s default for an agent without approval rules).
 */
export type CallHandlerFactory = ((host: SchedulerHost) => CallHandler) & { lazy?: boolean };

/** Everything a Session is built from; `startSession` fills it from its options and the agent. */
export interface SessionInit {
  /**
   * What carries the session's events (the `ws` transport, an in-memory one, …), unless given to the Session's
   * constructor beside the init (as `startSession` does: its init is shared by sessions started alike).
   */
  transport?: Transport;
  /** Builds the transport of each reconnect attempt; with `reconnect`, drops and the hour cap are survived. */
  transportFactory?: TransportFactory;
  /** How drops are survived (absent: a drop ends the session). */
  reconnect?: ReconnectSettings;
  /** The resume line of an agent (its file's `reconnect.announce`, rendered), when `reconnect.announce` is unset. */
  announceOf?: (agent: LoadedAgent) => string | undefined;
  update: SessionUpdateEvent;
  /** The agent the session starts with (its handoffs are what `transfer_to_<name>` calls switch to). */
  agent?: LoadedAgent;
  /** Loads a handoff's target agent (default: `loadAgent(handoff.file)`). */
  loadHandoff?: (handoff: LoadedHandoff, from: LoadedAgent) => Promise<LoadedAgent>;
  /** The variables the application gave (over each agent's defaults when the agent changes). */
  givenVariables?: Record<string, unknown>;
  /** When audio-path failures switch the session to text (text-fallback.ts). */
  textFallback?: TextFallbackOptions;
  /** The stalled-response watchdog (`false` turns it off). */
  watchdog?: { stallMs?: number; graceMs?: number } | false;
  /** Compiles a new agent for `updateAgent` (absent: only ready-made `session.update` events are accepted). */
  compile?: (agent: LoadedAgent) => SessionUpdateEvent;
  /** The SIP call id when the session is attached to a phone call (tools see it as `ctx.session.callId`). */
  callId?: string;
  clock: Clock;
  prices: PriceTable;
  tools: CallHandlerFactory | undefined;
  playedMs: ((itemId: string) => number | undefined) | undefined;
  greeting: string | undefined;
  /** Renders the greeting an agent taken over to by a handoff says (absent: it answers without one). */
  greetingOf?: (agent: LoadedAgent) => string | undefined;
  goodbye: string;
  budgetUsd: number | undefined;
  maxSessionLengthMs: number | undefined;
  timeoutMs: number;
  log: Logger;
  /** The Responses client delegate tools call (absent: delegate tools fail with a clear output). */
  responsesClient?: ResponsesClient;
}
