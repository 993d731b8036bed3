import type { Session, StartSessionOptions, StreamEvent } from "@parley/core";
import type { RawData, WebSocket } from "ws";
import { parseClientMessage } from "./client-messages.ts";
import type { ConsoleApprovals } from "./console-approvals.ts";
import { ConsoleRecord } from "./console-record.ts";
import { HoldToTalk, type HoldToTalkUpdate } from "./hold-to-talk.ts";
import { Playback, type ResumeFrom } from "./playback.ts";
import type {
  AgentInfo,
  ClientMessage,
  ConsoleProblem,
  ServerMessage,
  SessionState,
} from "./protocol.ts";
import { compactReplay } from "./replay.ts";
import { isSessionCommand, runSessionCommand } from "./session-commands.ts";

export interface ConsoleHubOptions {
  /** `dev`: the page talks and controls the session; `watch`: a call of `agent serve` (no microphone). */
  mode: "dev" | "watch";
  target: { label: string; describe: string; costIsEstimate: boolean };
  agent: AgentInfo;
  approvals?: ConsoleApprovals;
  /** The Restart and End buttons (absent: refused with a problem message). */
  restart?(): Promise<void>;
  end?(): Promise<void>;
  /** Serve's call picker: the page chose a call (null: follow the newest). Absent: refused. */
  pick?(ws: WebSocket, callId: string | null): void;
  /** Hold-to-talk's switch of the agent's turn detection (absent: holding only commits on release). */
  holdToTalk?: HoldToTalkUpdate;
}

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
  readonly #record = new ConsoleRecord();
  /** The pages' playback positions and the agent's recent audio (for a page that comes back while it plays). */
  readonly #playback = new Playback();
  #session: Session | undefined;
  #state: SessionState = "starting";
  #generation = 0;
  #agent: AgentInfo;
  /** Set by the `agent.audio` listener, sent right after that event by the stream listener (same emit). */
  #audio: Buffer | undefined;
  readonly #hold: HoldToTalk;
  /** The page holding to talk: if it goes away, the agent's turn detection comes back. */
  #holder: WebSocket | undefined;

  constructor(options: ConsoleHubOptions) {
    this.#o = options;
    this.#agent = options.agent;
    this.#hold = new HoldToTalk(options.holdToTalk, (message) => this.problem(message));
  }

  get session(): Session | undefined {
    return this.#session;
  }

  get pages(): number {
    return this.#sockets.size;
  }

  /** The pages' playback position of an agent item (`startSession({ playedMs })`). */
  get playedMs(): (itemId: string) => number | undefined {
    return this.#playback.playedMs;
  }

  /**
   * `startSession` options that feed the pages from the handshake on (the stream, the agent's audio, the page's
   * playback position); call `attach(session, true)` once the session is started.
   */
  sessionHooks(): Required<Pick<StartSessionOptions, "onEvent" | "on" | "playedMs">> {
    this.#record.restart();
    this.#playback.clear();
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
    this.#hold.reset();
    this.#record.follow(session);
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
    // A reload or a handoff applied the agent's own turn detection: off again while someone holds to talk.
    if (this.#session) this.#hold.reapply(this.#session);
    this.#broadcast({ type: "agent", agent, ...(reload ? { reload } : {}) });
  }

  /** A save was invalid: located problems; the previous version keeps running. */
  reloadFailed(text: string, problems: ConsoleProblem[]): void {
    this.#broadcast({ type: "reload.failed", text, problems });
  }

  problem(message: string): void {
    this.#broadcast({ type: "problem", message });
  }

  /** A page connected (its token already checked): this hub answers its messages for as long as it is open. */
  add(ws: WebSocket, resume?: ResumeFrom): void {
    ws.on("close", () => this.leave(ws));
    ws.on("error", () => ws.terminate());
    ws.on("message", (data, isBinary) => this.receive(ws, data, isBinary));
    this.join(ws, resume);
  }

  /**
   * A page starts following this hub's session: the hello, then what it missed of the session. Its messages reach
   * `receive` from whoever owns the socket (`add`, or serve's call picker).
   */
  join(ws: WebSocket, resume?: ResumeFrom): void {
    this.#sockets.add(ws);
    const replay = compactReplay(this.#record.replay);
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
    // The agent's audio the page has not played yet: after the events, before anything live.
    for (const part of this.#state === "open" ? this.#playback.resume(resume) : []) {
      this.#send(ws, {
        type: "audio.resume",
        itemId: part.itemId,
        offsetBytes: part.offset,
        bytes: part.audio.length,
      });
      if (ws.readyState === ws.OPEN) ws.send(part.audio, { binary: true });
    }
  }

  /** A page stops following (it closed, or picked another call). */
  leave(ws: WebSocket): void {
    this.#sockets.delete(ws);
    if (this.#holder === ws) {
      this.#holder = undefined;
      if (this.#session?.open) this.#hold.leave(this.#session);
    }
  }

  /** The transcript of every session so far (redacted). */
  transcript(): string {
    return this.#record.transcript();
  }

  /** Every stream event so far, one JSON line each (redacted by the stream). */
  events(): string {
    return this.#record.events();
  }

  close(): void {
    for (const ws of this.#sockets) ws.close(1001, "the console is closing");
    this.#sockets.clear();
  }

  #onEvent(event: StreamEvent): void {
    if (event.type === "server.event" && event.event.type === "input_audio_buffer.committed")
      this.#hold.committed();
    if (!this.#record.push(event)) return;
    this.#broadcast({ type: "event", event });
    if (event.type === "interrupted" && event.itemId) this.#playback.interrupted(event.itemId);
    if (event.type === "agent.audio" && this.#audio) {
      const audio = this.#audio;
      this.#audio = undefined;
      this.#playback.audio(event.itemId, audio);
      for (const ws of this.#sockets)
        if (ws.readyState === ws.OPEN) ws.send(audio, { binary: true });
    }
  }

  /** One frame from a page following this hub. */
  receive(ws: WebSocket, data: RawData, isBinary: boolean): void {
    const session = this.#session;
    if (isBinary) {
      // Microphone audio: PCM16 24 kHz mono. Dropped while no session is open (starting, ended, restoring).
      if (this.#o.mode === "dev" && session?.open && !session.restoring) {
        session.appendAudio(toBuffer(data));
        this.#hold.appended();
      }
      return;
    }
    const message = parseClientMessage(toBuffer(data).toString("utf8"));
    if ("error" in message) {
      this.#send(ws, { type: "problem", message: message.error });
      return;
    }
    void this.#handle(message, ws).catch((error: unknown) =>
      this.#send(ws, {
        type: "problem",
        message: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  async #handle(message: ClientMessage, ws: WebSocket): Promise<void> {
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
        this.#playback.report(message.itemId, message.playedMs);
        return;
      case "pick":
        if (!this.#o.pick)
          throw new Error("this console has one session: there is no call to pick");
        return this.#o.pick(ws, message.callId);
    }
    const session = this.#session;
    if (!session?.open) throw new Error("the session is not open: restart it");
    if (isSessionCommand(message)) return runSessionCommand(session, message);
    if (message.type === "commit") return this.#hold.release(session);
    // Hold-to-talk (`ptt`): only where there is a microphone.
    if (this.#o.mode !== "dev") throw new Error("this console has no microphone");
    if (message.state === "down") {
      this.#holder = ws;
      return this.#hold.press(session);
    }
    if (message.state === "up") return this.#hold.release(session);
    this.#holder = undefined;
    return this.#hold.leave(session);
  }

  #setState(state: SessionState, detail?: string): void {
    this.#state = state;
    if (state !== "open") this.#playback.clear();
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
