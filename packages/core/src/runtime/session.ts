import type { EventEmitter } from "eventemitter3";
import type {
  RealtimeClientEvent,
  RealtimeConversationItemUserMessage,
  SessionUpdateEvent,
} from "openai/resources/realtime/realtime";
import type { ParleyError } from "../errors/index.ts";
import type { LoadedAgent } from "../load/index.ts";
import type { TokenCounts } from "../pricing/index.ts";
import { encodedAudioAppend } from "../transport/client-frames.ts";
import type { Transport } from "../transport/transport.ts";
import { composeSession, type SessionParts } from "./compose.ts";
import type { ConversationRecord, ConversationSnapshot } from "./conversation.ts";
import { SessionError } from "./errors.ts";
import type { StreamListener } from "./event-stream.ts";
import type { SessionEvents } from "./events.ts";
import { handshake } from "./handshake.ts";
import { DEFAULT_MAX_IMAGE_BYTES, type ImageSource, imageDataUrl } from "./image.ts";
import { SafeEmitter } from "./safe-emitter.ts";
import type { SessionInit } from "./session-init.ts";
import type { RuntimeSettings } from "./settings.ts";

export type { CallHandlerFactory, SessionInit } from "./session-init.ts";

/**
 * One live conversation over a Realtime connection. Created by `startSession`; see docs/runtime.md. This class is
 * the API applications call; the parts it is made of are built and wired by `composeSession` (compose.ts).
 */
export class Session extends SafeEmitter<SessionEvents> {
  readonly #p: SessionParts;

  /** @internal Use `startSession`. `transport` is the first connection's (default `init.transport`). */
  constructor(init: SessionInit, transport?: Transport) {
    super();
    this.#p = composeSession(init, this, transport);
  }

  /** The conversation so far, in server order: the state a reconnect replays. */
  get conversation(): ConversationRecord {
    return this.#p.conversation;
  }

  /** @internal The handshake: `session.created`, our `session.update`, `session.updated`; then tools, timers, greeting. */
  async start(): Promise<this> {
    await handshake(this.#p);
    return this;
  }

  /**
   * Subscribes to the session's one event stream: every session event (client and server protocol events, tool and
   * approval lifecycle, fillers, latency, usage, errors, the close) as a JSON-serialisable, redacted `StreamEvent`
   * (`{ type, at, sessionId, seq, … }`). Returns the unsubscribe function. Pass `onEvent` to `startSession` to see
   * the handshake too.
   *
   * @example
   * const stop = session.onEvent((e) => file.write(`${JSON.stringify(e)}\n`));
   */
  onEvent(listener: StreamListener): () => void {
    return this.#p.stream.subscribe(listener);
  }

  override emit<T extends EventEmitter.EventNames<SessionEvents>>(
    event: T,
    ...args: EventEmitter.EventArgs<SessionEvents, T>
  ): boolean {
    const heard = super.emit(event, ...args);
    this.#p?.streamPush(event, args[0]);
    return heard;
  }

  /**
   * Counts the stream as a listener when one of its listeners takes this event: payloads built only for listeners
   * are then built for it too (a session log takes no event derived from one protocol event: see STREAM_SKIPS).
   */
  override listenerCount(event: EventEmitter.EventNames<SessionEvents>): number {
    return super.listenerCount(event) + (this.#p?.streamWants(event) ? 1 : 0);
  }

  /** The Realtime session id (`sess_…`, from `session.created`); a generated `parley_sess_…` id until then. */
  get id(): string {
    return this.#p.state.id;
  }

  /** The agent the session runs now (after handoffs and `updateAgent`), when it was started from one. */
  get agent(): LoadedAgent | undefined {
    return this.#p.agents.agent;
  }

  /** True from the handshake until `close()` or a dropped socket. */
  get open(): boolean {
    return this.#p.open();
  }

  /** True while a dropped connection is being restored (input waits; microphone audio is dropped). */
  get restoring(): boolean {
    return this.#p.reconnect.restoring;
  }

  /**
   * True until the turn is over: a response in progress, queued or awaited, the user speaking, a tool call running or
   * awaiting approval, the answer about an output scheduled, or the connection being restored. The `idle` event
   * says when it becomes false.
   */
  get busy(): boolean {
    return this.#p.busy();
  }

  /** True while a response is in progress (or our `response.create` is on its way). */
  get responding(): boolean {
    return this.#p.responses.inProgress;
  }

  get costUsd(): number {
    return this.#p.meter.spentUsd;
  }

  get tokens(): Readonly<TokenCounts> {
    return { ...this.#p.meter.tokens };
  }

  get settings(): Readonly<RuntimeSettings> {
    return this.#p.state.settings;
  }

  /**
   * Sends what the user typed and (by default) asks the agent to answer.
   *
   * @example
   * session.sendText("What's the weather in Lyon?");
   */
  sendText(text: string, options: { respond?: boolean } = {}): void {
    this.#send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content: [{ type: "input_text", text }] },
    });
    this.#userTurn(options.respond ?? true);
  }

  /** Appends user audio (in the session's input format; pcm16 24 kHz mono by default) to the input buffer. */
  appendAudio(audio: Buffer | Uint8Array | string): void {
    this.#send(
      typeof audio === "string"
        ? { type: "input_audio_buffer.append", audio }
        : encodedAudioAppend(audio),
    );
  }

  /**
   * Ends the user's audio turn (push-to-talk). Asks for an answer unless the server's VAD answers by itself.
   *
   * @example
   * session.appendAudio(pcm); session.commitAudio();
   */
  commitAudio(options: { respond?: boolean } = {}): void {
    this.#send({ type: "input_audio_buffer.commit" });
    this.#userTurn(options.respond ?? !this.#p.state.settings.serverCreatesResponses);
  }

  /**
   * Sends an image (a path, bytes, or a file:/http(s): URL) as an `input_image` item, with optional text.
   * Throws SessionError `image_unsupported` / `image_too_large` / `image_unreadable` before anything is sent.
   *
   * @example
   * await session.sendImage("./receipt.png", { text: "What is the total?" });
   */
  async sendImage(
    image: ImageSource,
    options: {
      text?: string;
      respond?: boolean;
      maxBytes?: number;
      detail?: "auto" | "low" | "high";
    } = {},
  ): Promise<void> {
    const url = await imageDataUrl(image, options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES);
    const content: RealtimeConversationItemUserMessage.Content[] = [];
    if (options.text) content.push({ type: "input_text", text: options.text });
    content.push({
      type: "input_image",
      image_url: url,
      ...(options.detail ? { detail: options.detail } : {}),
    });
    this.#send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content },
    });
    this.#userTurn(options.respond ?? true);
  }

  /**
   * Stops the agent: cancels the response in progress and truncates the agent's audio item where playback stopped.
   * Pass `playedMs` (what the listener actually heard of the current item) when the app knows it; otherwise it is
   * estimated from the audio delivered and the time since its first chunk (see docs/runtime.md).
   *
   * @example
   * speaker.stop(); session.interrupt({ playedMs: speaker.positionMs });
   */
  interrupt(options: { playedMs?: number } = {}): void {
    this.#p.assertOpen();
    this.#p.responses.cancel();
    this.#p.interruptions.interrupt("user", options.playedMs);
  }

  /**
   * Applies a changed agent to the live session (`session.update`). The API refuses a voice change once the agent
   * has spoken: the voice is then left out, a `warning` (`voice_change_refused`) says so, and the rest is applied.
   *
   * @example
   * await session.updateAgent(await loadAgent("support.agent.yaml"));
   */
  async updateAgent(agent: LoadedAgent | SessionUpdateEvent): Promise<void> {
    this.#p.assertOpen();
    await this.#p.agents.apply(agent);
  }

  /** "audio", or "text" after a text fallback (audio-path failures, or `useText`). */
  get mode(): "audio" | "text" {
    return this.#p.fallbackIfMade?.mode ?? "audio";
  }

  /**
   * Switches to text (`output_modalities: ["text"]`): the conversation goes on, the agent answers in text, the user
   * types. `mode.changed` tells when the server has applied it. For a console whose microphone is denied or lost.
   *
   * @example
   * mic.on("error", () => session.useText("microphone_lost"));
   */
  async useText(reason: string, detail?: string): Promise<void> {
    this.#p.assertOpen();
    await this.#p.fallback.useText(reason, detail);
  }

  /** Switches back to audio after `useText` or a fallback (a no-op in audio mode). */
  async useAudio(reason = "application"): Promise<void> {
    this.#p.assertOpen();
    await this.#p.fallback.useAudio(reason);
  }

  /** Ends the session: tool calls are aborted (each gets its output while the socket is open), then the socket closes. */
  close(): Promise<void> {
    return this.#p.life.shutdown("closed", "closed by the application");
  }

  /**
   * Says the goodbye line (`startSession({ goodbye })`) once the current response is done, then closes with reason
   * `closed`: how a server ends its calls when it drains. Running tool calls still each get their one output.
   */
  goodbye(detail = "ended by the application"): void {
    if (this.open) this.#p.life.goodbye("closed", detail);
  }

  /** @internal Ends a session whose start failed (`closed` then says `error`, with why). */
  abort(detail: string): Promise<void> {
    return this.#p.life.shutdown("error", detail);
  }

  /** A copy of the conversation so far. */
  snapshot(): ConversationSnapshot {
    return this.conversation.snapshot();
  }

  // ── internals ──────────────────────────────────────────────────────────────

  #send(event: RealtimeClientEvent): void {
    this.#p.assertOpen();
    this.#p.outbound.send(event);
  }

  #userTurn(respond: boolean): void {
    this.#p.turn.userTurn();
    this.#p.latency.userInputEnded(this.#p.init.clock.now());
    if (respond) this.#p.responses.request({ kind: "answer" });
  }

  /** @internal A listener threw: logged, and said as an `error` event (unless an `error` listener threw). */
  override listenerFailed(error: unknown, event: string): void {
    this.#p.init.log.warn(`a "${event}" listener threw`, { error });
    if (event === "error") return;
    const wrapped: ParleyError = new SessionError(
      "listener_failed",
      `a "${event}" listener threw: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
    this.emit("error", { error: wrapped });
  }
}
