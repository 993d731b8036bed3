import {
  AgentFileError,
  AgentTools,
  compileSession,
  type LoadedAgent,
  loadAgent,
  type Session,
  type SessionLogWriter,
  startSession,
} from "@parley/core";
import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import { approversFor } from "../dev/approvers.ts";
import { reloadAgent } from "../dev/reload.ts";
import { openTarget, type Target } from "../dev/target.ts";
import { type AgentWatcher, watchAgentFiles } from "../dev/watcher.ts";
import { LogJanitor } from "../logs/janitor.ts";
import { type LogSettings, openLog, pruneLogs } from "../logs/settings.ts";
import { agentInfo } from "./agent-info.ts";
import { ConsoleApprovals } from "./console-approvals.ts";
import { ConsoleHub } from "./console-hub.ts";
import { type ConsoleServer, startConsoleServer } from "./console-server.ts";
import { consoleProblems } from "./problems.ts";

export interface ConsoleOptions {
  live?: boolean;
  url?: string;
  /** Local server pace: 1 real time, 0 as fast as possible. */
  pace: number;
  variables?: Record<string, string>;
  /** Reload the agent when its files are saved (default true). */
  watch?: boolean;
  host?: string;
  port?: number;
  /** The URL's secret (default: random). */
  token?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Session logs (`logSettings(flags, env)`, as `agent dev`): one file per session, restarts included; none when undefined. */
  logs?: LogSettings;
  /** Says what the log retention policy removed (`agent dev --web`: a line on stderr). */
  notice?: (message: string) => void;
  /** How often the retention policy is applied again while the console runs (default hourly). */
  pruneEveryMs?: number;
}

/** A running `agent dev --web`: the session, the console server and the watcher. */
export interface ConsoleHandle {
  /** The page's address with its token. */
  readonly url: string;
  readonly server: ConsoleServer;
  readonly hub: ConsoleHub;
  readonly target: Target;
  /** The agent running now (after reloads and handoffs). */
  readonly agent: LoadedAgent;
  /** The session log files written so far (one per session; a restart starts another). */
  readonly logFiles: readonly string[];
  /** Resolves after the reloads asked for so far are applied or refused (tests wait on it). */
  reloaded(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts what `agent dev --web` runs: the session (the embedded local server unless `live`/`url`/OPENAI_API_KEY),
 * the console server on loopback with a random token, and live reload. The console is the approver, as the
 * terminal is in `agent dev`; Restart starts a new session with the current agent, End closes it.
 * Throws AgentFileError (located problems) when the agent file is invalid at start.
 *
 * @example
 * const consoleRun = await startConsole("concierge.agent.yaml", { pace: 1 });
 * console.log(consoleRun.url);
 */
export async function startConsole(file: string, options: ConsoleOptions): Promise<ConsoleHandle> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const variables = options.variables ?? {};
  const offline = !options.url && !options.live && !env.OPENAI_API_KEY;
  const loadOptions = { missingEnv: offline ? ("warn" as const) : ("error" as const), env };
  const opening = openTarget({ live: options.live, url: options.url, pace: options.pace, env });
  opening.catch(() => {}); // awaited below; an agent file problem is reported first
  let agent: LoadedAgent;
  try {
    agent = await loadAgent(file, loadOptions);
  } catch (error) {
    await (await opening.catch(() => undefined))?.close();
    throw error;
  }
  const target = await opening;
  // The console runs for hours and every Restart writes another log: the policy is applied at start, as `agent dev`
  // does, and again as `agent serve` does (hourly, and when a closed log leaves the folder over its count).
  const say = options.notice ?? (() => {});
  pruneLogs(options.logs, say);
  const janitor = options.logs
    ? new LogJanitor(options.logs, {
        say,
        ...(options.pruneEveryMs ? { everyMs: options.pruneEveryMs } : {}),
      })
    : undefined;
  let agentFile = agent.file;
  const approvals = new ConsoleApprovals();
  let session: Session | undefined;
  let starting: Promise<void> = Promise.resolve();
  const hub: ConsoleHub = new ConsoleHub({
    mode: "dev",
    target: {
      label: target.label,
      describe: target.describe,
      costIsEstimate: target.kind === "local",
    },
    agent: agentInfo(agent, variables, cwd),
    approvals,
    holdToTalk: (held) => holdToTalkUpdate(agent, variables, held),
    restart: () => {
      starting = starting.then(async () => {
        await session?.close().catch(() => {});
        await start();
      });
      return starting;
    },
    end: async () => {
      await starting;
      await session?.close();
    },
  });

  const logs: SessionLogWriter[] = [];
  const start = async () => {
    hub.starting();
    // As `agent dev`: a log per session, closed with it; a folder that cannot be written is said, never fatal.
    const sessionLog = openLog(options.logs, agent, variables, (message) => hub.problem(message));
    const hooks = hub.sessionHooks();
    let started: Session;
    try {
      started = await startSession({
        agent,
        ...(target.url ? { url: target.url } : {}),
        ...(target.apiKey ? { apiKey: target.apiKey } : {}),
        variables,
        ...hooks,
        ...(sessionLog
          ? {
              onEvent: (event) => {
                hooks.onEvent(event);
                sessionLog.write(event);
              },
            }
          : {}),
        // Always a handler, even for an agent without tools yet: a reload may add the first one.
        tools: (host) =>
          new AgentTools(host, agent, { approvers: approversFor(agent, approvals.approver) }),
      });
    } catch (error) {
      await sessionLog?.close();
      throw error;
    }
    // Closes itself with the session (a restart, End, the session ending by itself).
    sessionLog?.attach(started);
    if (sessionLog) {
      logs.push(sessionLog);
      started.once("closed", () => void sessionLog.close().then(() => janitor?.logClosed()));
    }
    session = started;
    hub.attach(started, true);
    // After a handoff the other agent runs the session: saves of its files reload it.
    started.on("handoff", (e) => {
      const to = agent.handoffs.find((h) => h.name === e.to);
      if (!to) return;
      agentFile = to.file;
      void loadAgent(to.file, loadOptions).then(
        (next) => {
          agent = next;
          watcher?.setFiles(next.files);
          hub.agentChanged(agentInfo(next, variables, cwd));
        },
        () => {}, // the runtime loaded it a moment ago; a problem now shows on the next save
      );
    });
  };

  let reloading = Promise.resolve();
  const reload = (changed: string[]) => {
    reloading = reloading.then(async () => {
      if (!session?.open) {
        // No session to update: the next Restart starts with the saved version, if it is valid.
        try {
          agent = await loadAgent(agentFile, loadOptions);
          hub.agentChanged(agentInfo(agent, variables, cwd));
        } catch (error) {
          if (error instanceof AgentFileError) reportInvalid(error);
        }
        return;
      }
      const outcome = await reloadAgent(session, agentFile, agent, changed, loadOptions);
      if (outcome.kind === "invalid") return reportInvalid(outcome.error);
      if (outcome.kind === "failed") return hub.problem(outcome.message);
      agent = outcome.agent;
      watcher?.setFiles(outcome.agent.files);
      hub.agentChanged(agentInfo(outcome.agent, variables, cwd), {
        ms: outcome.ms,
        summary: outcome.summary,
      });
    });
  };
  const reportInvalid = (error: AgentFileError) => {
    const { text, problems } = consoleProblems(error, cwd);
    hub.reloadFailed(text, problems);
  };

  const watcher: AgentWatcher | undefined =
    options.watch === false ? undefined : await watchAgentFiles(agent.files, reload);
  let server: ConsoleServer | undefined;
  try {
    server = await startConsoleServer({
      ...(options.host ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.token ? { token: options.token } : {}),
      onSocket: (ws, resume) => hub.add(ws, resume),
      transcript: () => hub.transcript(),
      events: () => hub.events(),
    });
    starting = start();
    await starting;
  } catch (error) {
    janitor?.stop();
    await watcher?.close();
    await server?.close();
    await target.close();
    throw error;
  }
  const listening = server;
  return {
    url: listening.url,
    server: listening,
    hub,
    target,
    get agent() {
      return agent;
    },
    get logFiles() {
      return logs.map((log) => log.file);
    },
    reloaded: () => reloading,
    async close() {
      janitor?.stop();
      await watcher?.close();
      await starting.catch(() => {});
      await session?.close().catch(() => {});
      // Every session's log is on disk before close resolves.
      await Promise.all(logs.map((log) => log.close()));
      hub.close();
      await listening.close();
      await target.close().catch(() => {});
    },
  };
}

/**
 * The agent's whole `session.update` with its turn detection off (`held`) or as the agent has it (an agent that says
 * nothing has the API's default, server VAD: said explicitly, since an update that leaves it out keeps the "off");
 * undefined when the agent turned it off itself (its turns already end only on a commit).
 */
export function holdToTalkUpdate(
  agent: LoadedAgent,
  variables: Record<string, string>,
  held: boolean,
): SessionUpdateEvent | undefined {
  const update = structuredClone(compileSession(agent, { variables }));
  const audio = update.session.audio ?? {};
  const input = audio.input ?? {};
  if (input.turn_detection === null) return undefined;
  input.turn_detection = held ? null : (input.turn_detection ?? { type: "server_vad" });
  update.session.audio = { ...audio, input };
  return update;
}
