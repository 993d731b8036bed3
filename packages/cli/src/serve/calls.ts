import {
  type Approver,
  type LOG_CHUNKS,
  type LoadedAgent,
  type LogLevel,
  type Session,
  STREAM_GATE,
  STREAM_LINES,
  STREAM_SKIPS,
  type StartSessionOptions,
  type StreamEventType,
  type StreamLineListener,
  type StreamListener,
  startSession,
} from "@parley/core";
import { LogJanitor } from "../logs/janitor.ts";
import { type LogSettings, openLog } from "../logs/settings.ts";
import { callLogger, type LogWriter } from "./log.ts";
import { type RealtimeApi, RealtimeApiError } from "./realtime-api.ts";
import { CallStats, type CallSummary } from "./summary.ts";

/**
 * Which stream events go to the call's log, at what level: the tool timeline and problems at info, what was said at
 * debug (PARLEY_LOG_LEVEL=debug; transcripts are personal data).
 */
const CALL_EVENTS: Partial<Record<string, LogLevel>> = {
  "tool.call": "info",
  "tool.filler": "info",
  "tool.output": "info",
  "approval.requested": "info",
  "approval.decided": "info",
  handoff: "info",
  warning: "warn",
  error: "warn",
  "user.transcript.done": "debug",
  "agent.transcript.done": "debug",
};

export interface CallManagerOptions {
  api: RealtimeApi;
  log: LogWriter;
  /** Who decides tool calls that need approval (none: they are refused). */
  approvers?: Approver[];
  /** What the agent says when serve ends a call (drain). */
  goodbye?: string;
  /** Extra `startSession` options for every call (e.g. `ws` for a local TLS server, `watchdog`). */
  session?: Partial<StartSessionOptions>;
  /** Session logs: one JSON-lines file per call in this folder (see docs/logs.md); none when undefined. */
  sessionLogs?: LogSettings;
  /** How often the session log folder is pruned to its retention policy (default hourly; with `sessionLogs`). */
  pruneEveryMs?: number;
  /** Called with each call's summary when it ends (after it is logged). */
  onSummary?: (summary: CallSummary) => void;
  /** Called when a call's session is attached (the browser console follows calls with it). */
  onSession?: (session: Session, call: AttachOptions) => void;
}

export interface AttachOptions {
  callId: string;
  kind: "sip" | "webrtc";
  agent: LoadedAgent;
  variables: Record<string, string>;
  acceptMs: number | null;
}

/**
 * The calls one serve process holds: each is a sideband session (by `call_id`) running its agent's tools. Slots are
 * reserved before the accept so concurrent webhooks never take more than `maxCalls`.
 */
export class CallManager {
  readonly #reserved = new Set<string>();
  readonly #live = new Map<string, Session>();
  readonly #attaching = new Map<string, Promise<Session | undefined>>();
  readonly #idle = new Set<() => void>();

  readonly #janitor: LogJanitor | undefined;

  constructor(private readonly options: CallManagerOptions) {
    // Only with a retention policy (agent serve always has one; an embedder without one keeps every log).
    const logs = options.sessionLogs;
    this.#janitor = logs?.retention
      ? new LogJanitor(logs, {
          say: (msg) => options.log({ level: "info", msg }),
          ...(options.pruneEveryMs ? { everyMs: options.pruneEveryMs } : {}),
        })
      : undefined;
  }

  /** Calls reserved or running. */
  get size(): number {
    return this.#reserved.size;
  }

  get sessions(): ReadonlyMap<string, Session> {
    return this.#live;
  }

  /** Takes a slot for `callId`; false when it already has one (a duplicate) or `limit` is reached. */
  reserve(callId: string, limit: number): "ok" | "duplicate" | "busy" {
    if (this.#reserved.has(callId)) return "duplicate";
    if (this.#reserved.size >= limit) return "busy";
    this.#reserved.add(callId);
    return "ok";
  }

  release(callId: string): void {
    this.#reserved.delete(callId);
    this.#live.delete(callId);
    if (this.#reserved.size === 0) for (const done of this.#idle) done();
  }

  /** Resolves when no call is left. */
  idle(): Promise<void> {
    if (this.#reserved.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#idle.delete(done);
        resolve();
      };
      this.#idle.add(done);
    });
  }

  /** The call's session, once its sideband is attached (undefined for an unknown or failed call). */
  async session(callId: string): Promise<Session | undefined> {
    return this.#live.get(callId) ?? (await this.#attaching.get(callId));
  }

  /** Attaches the sideband of an accepted (or created) call and runs the agent until the call ends. */
  attach(call: AttachOptions): Promise<Session | undefined> {
    const attaching = this.#attach(call).finally(() => this.#attaching.delete(call.callId));
    this.#attaching.set(call.callId, attaching);
    return attaching;
  }

  async #attach(call: AttachOptions): Promise<Session | undefined> {
    const { log } = this.options;
    // The agent's region (apiBase) for the sideband and the hang-up, else the process's.
    const api = this.options.api.forBase(call.agent.config.apiBase);
    const fields = { callId: call.callId, agent: call.agent.name, kind: call.kind };
    const stats = new CallStats({ ...fields, acceptMs: call.acceptMs });
    const sessionLog = openLog(this.options.sessionLogs, call.agent, call.variables, (message) =>
      log({ level: "warn", msg: message, ...fields }),
    );
    let session: Session;
    try {
      session = await startSession({
        ...this.options.session,
        agent: call.agent,
        callId: call.callId,
        url: api.websocketUrl,
        apiKey: api.apiKey,
        variables: call.variables,
        log: callLogger(log, fields, "parley:call"),
        // The session's own event stream (serialisable, redacted): the call's timeline in the log.
        onEvent: callEvents(sessionLog?.write, (type, event) => {
          const level = CALL_EVENTS[type];
          if (level) log({ level, msg: type, ...fields, event });
        }),
        ...(this.options.goodbye ? { goodbye: this.options.goodbye } : {}),
        scheduler: { approvers: this.options.approvers ?? [] },
      });
    } catch (error) {
      await sessionLog?.close();
      log({
        level: "error",
        msg: "sideband attach failed",
        ...fields,
        error: (error as Error).message,
      });
      await this.#hangup(api, call.callId, fields);
      this.release(call.callId);
      return undefined;
    }
    this.#live.set(call.callId, session);
    sessionLog?.attach(session);
    stats.follow(session);
    this.options.onSession?.(session, call);
    log({
      level: "info",
      msg: "call attached",
      ...fields,
      sessionId: session.id,
      ...(sessionLog ? { sessionLog: sessionLog.file } : {}),
    });
    session.on("closed", (closed) => {
      const summary = stats.summary(closed.reason, closed.detail, closed.costUsd);
      log({ level: "info", msg: "call summary", ...summary });
      this.options.onSummary?.(summary);
      // Parley ended it (end_call, a limit, drain): the phone line must hang up too. A caller's hang-up needs nothing.
      const hangup =
        closed.reason === "socket_closed"
          ? Promise.resolve()
          : this.#hangup(api, call.callId, fields);
      // The call's slot is free once its session log is on disk too (`idle()` then means every log is whole).
      void Promise.all([hangup, sessionLog?.close()]).finally(() => {
        this.#janitor?.logClosed();
        this.release(call.callId);
      });
    });
    return session;
  }

  /** Stops the periodic pruning of the session log folder (serve is stopping). */
  stopPruning(): void {
    this.#janitor?.stop();
  }

  /** Ends every call with the goodbye line. */
  goodbyeAll(detail: string): void {
    for (const session of this.#live.values()) session.goodbye(detail);
  }

  /** Ends every call at once. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#live.values()].map((s) => s.close().catch(() => {})));
  }

  async #hangup(api: RealtimeApi, callId: string, fields: Record<string, unknown>): Promise<void> {
    try {
      await api.hangup(callId);
    } catch (error) {
      // 404: the call was already gone (the caller hung up first).
      if (!(error instanceof RealtimeApiError && error.status === 404))
        this.options.log({
          level: "warn",
          msg: "hangup failed",
          ...fields,
          error: (error as Error).message,
        });
    }
  }
}

/**
 * The call's stream listener: with a session log, a line listener (STREAM_LINES) so the stream builds no event
 * object (the log writes protocol events from their frame text), the call log's few events read back from their
 * line; without one, an ordinary listener. It is the log's listener as far as the stream can tell: the log's gate
 * (a streamed part's later chunks counted, not written) and the types the log leaves out (STREAM_SKIPS: what one
 * protocol event says, made again on read), but for the ones the call log shows (the transcripts), which the log
 * is then not given.
 */
function callEvents(
  write: StreamLineListener | undefined,
  show: (type: string, event: unknown) => void,
): StreamListener {
  if (!write) return (event) => show(event.type, event);
  const lines = write[STREAM_LINES];
  const logSkips = write[STREAM_SKIPS];
  const skips = logSkips && new Set([...logSkips].filter((type) => !CALL_EVENTS[type]));
  // A line carries `sessionId` only when its sink's last line did not (the stream counts this listener as the log):
  // one not given to the log hands its id on to the next line that is.
  let carry: string | undefined;
  return Object.assign(() => {}, {
    [STREAM_LINES]: (line: string, type: StreamEventType | typeof LOG_CHUNKS) => {
      const event = CALL_EVENTS[type] ? (JSON.parse(line) as { sessionId?: unknown }) : undefined;
      if (!logSkips?.has(type)) {
        lines(carry === undefined ? line : withSessionId(line, carry), type);
        carry = undefined;
      } else if (typeof event?.sessionId === "string") carry = event.sessionId;
      if (event) show(type, event);
    },
    ...(write[STREAM_GATE] ? { [STREAM_GATE]: write[STREAM_GATE] } : {}),
    ...(skips ? { [STREAM_SKIPS]: skips } : {}),
  });
}

/** `line` with `sessionId` before its closing `"seq"`, unless it has it there already. */
function withSessionId(line: string, sessionId: string): string {
  if (/"sessionId":"(?:[^"\\]|\\.)*","seq":\d+\}$/.test(line)) return line;
  const at = line.lastIndexOf(',"seq":');
  return `${line.slice(0, at)},"sessionId":${JSON.stringify(sessionId)}${line.slice(at)}`;
}
