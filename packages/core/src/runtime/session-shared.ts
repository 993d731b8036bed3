import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import {
  compileSession,
  renderGreeting,
  renderTemplate,
  templateScope,
  type VariableValues,
} from "../compile/index.ts";
import { type LoadedAgent, type LoadedHandoff, loadAgent } from "../load/index.ts";
import type { Logger } from "../log/index.ts";
import { AgentTools } from "../scheduler/agent-tools.ts";
import type { ToolSchedulerOptions } from "../scheduler/tool-scheduler.ts";
import { SessionError } from "./errors.ts";
import {
  type ReconnectOptions,
  type ReconnectSettings,
  reconnectOptionsFor,
  reconnectSettings,
} from "./reconnect/options.ts";
import type { CallHandlerFactory } from "./session-init.ts";

// What sessions share instead of each holding its own: per loaded agent (its compiled update, its tools' factory),
// per set of variables (the templating), or for all (no variables, the default reconnect settings).

/** The variables of a session given none: one frozen object for all of them. */
export const NO_VARIABLES: Record<string, unknown> = Object.freeze({});

/** The default reconnect settings (neither the agent file nor the caller set any): one object for all sessions. */
let defaultReconnect: ReconnectSettings | undefined;

export function reconnectSettingsFor(
  agent: LoadedAgent | undefined,
  given: ReconnectOptions | undefined,
): ReconnectSettings {
  const file = agent?.config.reconnect;
  if (file || given) return reconnectSettings(reconnectOptionsFor(file, given));
  defaultReconnect ??= Object.freeze(reconnectSettings(reconnectOptionsFor(undefined, undefined)));
  return defaultReconnect;
}

export const loadHandoffFile = (handoff: LoadedHandoff): Promise<LoadedAgent> =>
  loadAgent(handoff.file);

/** What fills an agent's templates with a session's variables: compile, greeting and resume line. */
interface Templating {
  key: string;
  compile(agent: LoadedAgent): SessionUpdateEvent;
  greetingOf(agent: LoadedAgent): string | undefined;
  announceOf(agent: LoadedAgent): string | undefined;
}

/**
 * The last sessions' templating, shared by the next ones with the same variables (the common case: none, or a
 * server's fixed ones), so an idle session holds no functions of its own for it.
 */
let lastTemplating: Templating | undefined;

export function templatingFor(given: Record<string, unknown>): Templating {
  const values = templateValues(given);
  const key = JSON.stringify(values);
  if (lastTemplating?.key === key) return lastTemplating;
  lastTemplating = {
    key,
    compile: (next) => compileFor(next, values),
    greetingOf: (next) => renderGreeting(next, { variables: values }),
    announceOf: (next) => {
      const line = next.config.reconnect?.announce;
      return line === undefined
        ? undefined
        : renderTemplate(line, templateScope(next.config, values));
    },
  };
  return lastTemplating;
}

export function compileFor(
  agent: LoadedAgent | undefined,
  variables: Record<string, unknown>,
): SessionUpdateEvent {
  if (!agent)
    throw new SessionError(
      "missing_agent",
      "startSession needs an agent (from loadAgent) or a session.update",
    );
  const values = templateValues(variables);
  const key = JSON.stringify(values);
  const last = lastCompiled.get(agent);
  if (last?.key === key) return last.update;
  const update = compileSession(agent, { variables: values });
  // Shared by the agent's sessions from now on: frozen where a holder could write by mistake.
  Object.freeze(update.session.tools);
  Object.freeze(update.session);
  Object.freeze(update);
  lastCompiled.set(agent, { key, update });
  return update;
}

/**
 * The last `session.update` compiled per loaded agent and its variables: sessions of one agent with the same
 * variables (the common case: none, or a server's fixed ones) share one, so an idle session holds no copy of the
 * instructions and the tool list. A reloaded agent is a new object, compiled anew.
 */
const lastCompiled = new WeakMap<LoadedAgent, { key: string; update: SessionUpdateEvent }>();

function templateValues(variables: Record<string, unknown>): VariableValues {
  const out: VariableValues = {};
  for (const [k, v] of Object.entries(variables)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

/** The agent's tools (a ToolScheduler per agent, swapped on handoffs), when it has anything the model can call. */
export function defaultTools(
  agent: LoadedAgent | undefined,
  overrides: Partial<ToolSchedulerOptions> | undefined,
  log: Logger,
): CallHandlerFactory | undefined {
  if (!agent) return undefined;
  const config = agent.config;
  if (
    !agent.tools.length &&
    !agent.handoffs.length &&
    !config.mcp?.length &&
    !overrides?.tools?.length
  )
    return undefined;
  // The audit log and approvers see the Realtime session id (host.sessionId), not the agent's name.
  if (overrides)
    return (host) => new AgentTools(host, agent, { log: log.child("scheduler"), ...overrides });
  // Without overrides the factory depends on the agent and the logger only: one per agent, shared by its sessions.
  const known = agentTools.get(agent);
  if (known?.log === log) return known.factory;
  const options = { log: log.child("scheduler") };
  const factory: CallHandlerFactory = (host) => new AgentTools(host, agent, options);
  // Built on the session's first call unless building it reports something at the start (approval rules warn about
  // a missing approver; a duplicate tool name throws): an idle session then holds no handler.
  let lazy = false;
  try {
    lazy = !AgentTools.buildsAtStart(agent, options);
  } catch {
    // The start builds it and reports the error then, as before.
  }
  factory.lazy = lazy;
  agentTools.set(agent, { log, factory });
  return factory;
}

const agentTools = new WeakMap<LoadedAgent, { log: Logger; factory: CallHandlerFactory }>();
