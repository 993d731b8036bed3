import type { Session, StartSessionOptions, StreamEvent } from "@parley/core";
import type { RawData, WebSocket } from "ws";
import { SessionRecord } from "../dev/session-record.ts";
import { parseClientMessage } from "./client-messages.ts";
import type { ConsoleApprovals } from "./console-approvals.ts";
import type {
  AgentInfo,
  ClientMessage,
  ConsoleProblem,
  ServerMessage,
  SessionState,
} from "./protocol.ts";
import { compactReplay } from "./replay.ts";

export interface ConsoleHubOptions {
  /** `dev`: the page talks and controls the session; `watch`: a call of `agent serve` (no microphone). */
  mode: "dev" | "watch";
  target: { label: string; describe: string; costIsEstimate: boolean };
  agent: AgentInfo;
  approvals?: ConsoleApprovals;
  /** The Restart and End buttons (absent: refused with a problem message). */
  restart?(): Promise<void>;
  end?(): Promise<void>;
}

/** Protocol events the page never needs (one per audio chunk): kept in the event log, not sent. */
const NOISY = new Set(["input_audio_buffer.append", "response.output_audio.delta"]);
const MAX_LOG_LINES = 200_000;
const MAX_REPLAY = 5_000;
/** A playback report older than this is not extrapolated (the page stopped playing, or went away). */
const PLAYBACK_FRESH_MS = 500;

/**
 * Links console pages (any number of WebSockets) to the session of the moment: sends each page the session's event
 * stream (`session.onEvent`, already redacted) and the agent's audio, and turns the pages' messages into session
 * calls (text, image, audio, interrupt, approvals, restart, end). A page that connects late first gets what it
 * missed of the current session (the stream's events, without audio), so a reload of the page loses nothing.
 * Keeps the downloads: the transcript and the event log (JSON lines) of every session it has seen.
 */
export class ConsoleHub {
  readonly #o: ConsoleHubOptions;
  readonly #sockets = new Set<WebSocket>();
  readonly #log: string[] = [];
  readonly #records: SessionRecord[] = [];
  /** Playback reports: agent item id → position heard and when it was reported. */
  readonly #played = new Map<string, { ms: number; at: number }>();
  #replay: StreamEvent[] = [];
  #session: Session | undefined;
  #state: SessionState = "starting";
  #generation = 0;
  #agent: AgentInfo;
  /** Set by the `agent.audio` listener, sent right after that event by the stream listener (same emit). */
  #audio: Buffer | undefined;
  /** Microphone audio was appended since the input buffer was last committed (by the server's VAD or by us). */
  #uncommitted = false;

  constructor(options: ConsoleHubOptions) {
    this.#o = options;
    this.#agent = options.agent;
  }

  get session(): Session | undefined {
    return this.#session;
  }

  get pages(): number {
    return this.#sockets.size;
  }

  /**
   * The page's playback position of an agent item: its last report plus the time since (it kept playing), for
   * `startSession({ playedMs })`, so a barge-in truncates where the person stopped hearing.
   */
  readonly playedMs = (itemId: string): number | undefined => {
    const report = this.#played.get(itemId);
    if (!report) return undefined;
    const since = performance.now() - report.at;
    return report.ms + (since < PLAYBACK_FRESH_MS ? since : 0);
  };

  /**
   * `startSession` options that feed the pages from the handshake on (the stream, the agent's audio, the page's
   * playback position); call `attach(session, true)` once the session is started.
   */
  sessionHooks(): Required<Pick<StartSessionOptions, "onEvent" | "on" | "playedMs">> {
    this.#replay = [];
    this.#played.clear();
    // Only the newest session speaks to the pages: one followed before (an earlier call of serve) is ignored.
    const generation = ++this.#generation;
    const current = () => generation === this.#generation;
    return {
      onEvent: (event) => {
        if (current()) this.#onEvent(event);
      },
      on: {
        "agent.audio": (e) => {
          if (current()) this.#audio = e.audio;
        },
      },
      playedMs: this.playedMs,
    };
  }

  /**
   * Follows a (new) session: its events go to every page, and into the downloads. `hooked`: started with
   * `sessionHooks()`; otherwise (a session already running, e.g. a call of `agent serve`) it subscribes now.
   */
  attach(session: Session, hooked = false): void {
    if (!hooked) {
      const hooks = this.sessionHooks();
      session.on("agent.audio", hooks.on["agent.audio"] as (e: { audio: Buffer }) => void);
      session.onEvent(hooks.onEvent);
    }
    this.#session = session;
    this.#records.push(new SessionRecord(session));
    session.on("closed", (e) => {
      if (this.#session !== session) return;
      this.#setState("ended", e.reason === "closed" ? "the session was ended" : e.detail);
    });
    this.#setState("open");
  }

  /** A session is being (re)started: pages show it as starting. */
  starting(): void {
    this.#setState("starting");
  }

  /** The agent changed (a reload that worked, a handoff): the panel shows it, with what changed. */
  agentChanged(agent: AgentInfo, reload?: { ms: number; summary: string }): void {
    this.#agent = agent;
    this.#broadcast({ type: "agent", agent, ...(reload ? { reload } : {}) });
  }

  /** A save was invalid: located problems; the previous version keeps running. */
  reloadFailed(text: string, problems: ConsoleProblem[]): void {
    this.#broadcast({ type: "reload.failed", text, problems });
  }

  problem(message: string): void {
    this.#broadcast({ type: "problem", message });
  }

  /** A page connected (its token already checked). */
  add(ws: WebSocket): void {
    this.#sockets.add(ws);
    ws.on("close", () => this.#sockets.delete(ws));
    ws.on("error", () => ws.terminate());
    ws.on("message", (data, isBinary) => this.#onMessage(ws, data, isBinary));
    const replay = compactReplay(this.#replay);
    this.#send(ws, {
      type: "hello",
      agent: this.#agent,
      target: this.#o.target.label,
      describe: this.#o.target.describe,
      costIsEstimate: this.#o.target.costIsEstimate,
      session: { state: this.#state, id: this.#session?.id },
      mode: this.#o.mode,
      replay: replay.length,
    });
    for (const event of replay) this.#send(ws, { type: "event", event });
  }

  /** The transcript of every session so far (redacted). */
  transcript(): string {
    return this.#records.map((r) => r.text()).join("");
  }

  /** Every stream event so far, one JSON line each (redacted by the stream). */
  events(): string {
    return this.#log.length ? `${this.#log.join("\n")}\n` : "";
  }

  close(): void {
    for (const ws of this.#sockets) ws.close(1001, "the console is closing");
    this.#sockets.clear();
  }

  #onEvent(event: StreamEvent): void {
    if (event.type === "server.event" && event.event.type === "input_audio_buffer.committed")
      this.#uncommitted = false;
    if (this.#log.length >= MAX_LOG_LINES) this.#log.shift();
    this.#log.push(JSON.stringify(event));
    if (
      (event.type === "client.event" || event.type === "server.event") &&
      NOISY.has(event.event.type)
    )
      return;
    if (
      event.type !== "agent.audio" &&
      event.type !== "client.event" &&
      event.type !== "server.event"
    ) {
      if (this.#replay.length >= MAX_REPLAY) this.#replay.shift();
      this.#replay.push(event);
    }
    this.#broadcast({ type: "event", event });
    if (event.type === "agent.audio" && this.#audio) {
      const audio = this.#audio;
      this.#audio = undefined;
      for (const ws of this.#sockets)
        if (ws.readyState === ws.OPEN) ws.send(audio, { binary: true });
    }
  }

  #onMessage(ws: WebSocket, data: RawData, isBinary: boolean): void {
    const session = this.#session;
    if (isBinary) {
      // Microphone audio: PCM16 24 kHz mono. Dropped while no session is open (starting, ended, restoring).
      if (this.#o.mode === "dev" && session?.open && !session.restoring) {
        session.appendAudio(toBuffer(data));
        this.#uncommitted = true;
      }
      return;
    }
    const message = parseClientMessage(toBuffer(data).toString("utf8"));
    if ("error" in message) {
      this.#send(ws, { type: "problem", message: message.error });
      return;
    }
    void this.#handle(message).catch((error: unknown) =>
      this.#send(ws, {
        type: "problem",
        message: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  async #handle(message: ClientMessage): Promise<void> {
    switch (message.type) {
      case "restart":
        if (!this.#o.restart) throw new Error("this console cannot restart the session");
        return this.#o.restart();
      case "end":
        if (!this.#o.end) throw new Error("this console cannot end the session");
        return this.#o.end();
      case "approval":
        if (!this.#o.approvals?.decide(message.callId, message.approved))
          throw new Error(`no approval is waiting for call ${message.callId}`);
        return;
      case "playback":
        this.#played.set(message.itemId, { ms: message.playedMs, at: performance.now() });
        return;
    }
    const session = this.#session;
    if (!session?.open) throw new Error("the session is not open: restart it");
    switch (message.type) {
      case "text":
        return session.sendText(message.text);
      case "image":
        return session.sendImage(Buffer.from(message.data, "base64"), {
          ...(message.text ? { text: message.text } : {}),
        });
      case "interrupt":
        // Also when the answer is fully generated but still playing in the page: the truncate drops the unheard rest.
        return session.interrupt(
          message.playedMs === undefined ? {} : { playedMs: message.playedMs },
        );
      case "commit":
        // Push-to-talk released after the agent's turn detection already committed what was said: nothing to commit
        // (an empty commit is an error from the server).
        if (!this.#uncommitted) return;
        this.#uncommitted = false;
        return session.commitAudio();
      case "mode":
        // The page's microphone was denied or lost (or works again): the session's text fallback, on its word.
        return message.mode === "text"
          ? session.useText(message.reason ?? "microphone_unavailable")
          : session.useAudio(message.reason ?? "microphone_available");
    }
  }

  #setState(state: SessionState, detail?: string): void {
    this.#state = state;
    this.#broadcast({
      type: "session",
      state,
      id: this.#session?.id,
      ...(detail ? { detail } : {}),
    });
  }

  #broadcast(message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const ws of this.#sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  #send(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
