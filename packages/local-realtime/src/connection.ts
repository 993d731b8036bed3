import type { WebSocket } from "ws";
import { asAudioFormat } from "./audio/formats.ts";
import { InputAudioBuffer } from "./audio/input-buffer.ts";
import type { TurnDetectionConfig } from "./audio/vad.ts";
import { type ServerClock, sleepUntil } from "./clock.ts";
import { Conversation } from "./conversation.ts";
import { type FaultOptions, FaultySender } from "./faults.ts";
import { handleAudioEvent } from "./handlers/audio.ts";
import { referenceError, withoutReferences } from "./handlers/item-references.ts";
import { handleItemEvent } from "./handlers/items.ts";
import { clientEventError } from "./handlers/validation.ts";
import { configValueError } from "./handlers/values.ts";
import { IdGenerator } from "./ids.ts";
import { eventShapeError, frameSizeError, frameStructureError } from "./limits.ts";
import { McpSessionTools } from "./mcp/session-tools.ts";
import type { RealtimeModel } from "./models/types.ts";
import type { ResponseHost } from "./response-host.ts";
import { ActiveResponse, type ResponseParams } from "./response-runner.ts";
import {
  applySessionUpdate,
  defaultSession,
  type SessionObject,
  sessionView,
} from "./session-state.ts";

type Json = Record<string, unknown>;

export interface ConnectionOptions {
  model: RealtimeModel;
  modelName: string;
  pace: number;
  /** Output audio speed in multiples of real time (see LocalRealtimeOptions.audioPace). */
  audioPace: number;
  /** The session's date for the rules model (what "tomorrow" means); undefined: today. */
  today?: Date | string | undefined;
  faults: () => FaultOptions;
  clock: ServerClock;
  /** Called with every server event before it is sent (tests validate them against the spec). */
  onServerEvent?: ((event: Json) => void) | undefined;
  /** The session config a call was accepted or created with (a client secret's too): the session starts from it. */
  initialSession?: Json | undefined;
}

/** One WebSocket session: its session config, conversation, audio buffer and responses. */
export class Connection implements ResponseHost {
  readonly ids: IdGenerator;
  readonly conversation = new Conversation();
  readonly conversationId: string;
  readonly audio: InputAudioBuffer;
  readonly mcpSession: McpSessionTools;
  private current: SessionObject;
  private readonly sender: FaultySender;
  private audioOut = false;
  private previousInput = 0;
  /** The faults in force now (a handler reads those that change what it sends). */
  faults(): FaultOptions {
    return this.options.faults();
  }
  /** The response in progress in the default conversation (at most one). */
  active: ActiveResponse | undefined;
  /** Out-of-band responses in progress (they may overlap the default conversation's). */
  readonly outOfBand = new Set<ActiveResponse>();
  private closed = false;
  /** VAD committed the user's turn while the response it interrupted was still ending: answer once it has. */
  private answerAfterActive = false;
  /** Received-audio time since which nobody has spoken (idle_timeout_ms); undefined while disarmed. */
  idleSinceMs: number | undefined;

  constructor(
    socket: WebSocket,
    index: number,
    private readonly options: ConnectionOptions,
  ) {
    this.ids = new IdGenerator(index);
    this.conversationId = this.ids.next("conv");
    this.current = defaultSession(
      this.ids.next("sess"),
      options.modelName,
      Math.floor(Date.now() / 1000),
    );
    if (options.initialSession)
      this.current = applySessionUpdate(this.current, options.initialSession);
    this.audio = new InputAudioBuffer(asAudioFormat(sessionView.inputFormat(this.current)));
    this.audio.configure(
      asAudioFormat(sessionView.inputFormat(this.current)),
      sessionView.turnDetection(this.current) as TurnDetectionConfig | null,
    );
    this.mcpSession = new McpSessionTools(this);
    this.sender = new FaultySender(
      socket,
      options.faults,
      (error) =>
        JSON.stringify({
          type: "error",
          event_id: this.ids.next("event"),
          error: { ...error, param: null, event_id: null },
        }),
      options.clock,
    );
    socket.on("message", (data, isBinary) => {
      // Whatever a client sends, the server answers with an error event and keeps serving: nothing a frame
      // holds may end the process that runs it (agent sim, a test run).
      try {
        // The API reads text frames only and answers a binary one with an error (recorded live).
        if (isBinary)
          this.error(
            "invalid_event",
            "Expected a text WebSocket message; binary frames are not supported.",
          );
        else this.receive(data);
      } catch (e) {
        this.error("server_error", e instanceof Error ? e.message : String(e), {
          type: "server_error",
        });
      }
    });
    socket.on("close", () => this.dispose());
    socket.on("error", () => this.dispose());
    this.send({ type: "session.created", session: this.current });
  }

  get model(): RealtimeModel {
    return this.options.model;
  }

  get pace(): number {
    return this.options.pace;
  }

  /** Wall-clock scale of output audio: `pace` divided by how many times faster than real time audio goes out. */
  get audioScale(): number {
    return this.options.pace / this.options.audioPace;
  }

  /** The session's date, as the model should read "today". */
  today(): Date {
    const t = this.options.today;
    return t === undefined ? new Date() : new Date(t);
  }

  session(): SessionObject {
    return this.current;
  }

  now(): number {
    return this.options.clock.now();
  }

  sleepUntil(time: number, signal?: AbortSignal): Promise<void> {
    return sleepUntil(this.options.clock, time, signal);
  }

  writable(signal?: AbortSignal): Promise<void> {
    return this.sender.writable(signal);
  }

  audioProduced(): void {
    this.audioOut = true;
  }

  mcp(label: string) {
    return this.mcpSession.connection(label);
  }

  mcpReady(): Promise<void> {
    return this.mcpSession.ready;
  }

  mcpTools() {
    return this.mcpSession.listed;
  }

  send(event: Json): void {
    if (this.closed) return;
    const full = { event_id: this.ids.next("event"), ...event };
    this.options.onServerEvent?.(full);
    this.sender.send(JSON.stringify(full), full as { type?: unknown; response?: unknown });
  }

  /** Sends the API's `error` event shape. */
  error(
    code: string,
    message: string,
    options: { param?: string | null; eventId?: string | undefined; type?: string } = {},
  ): void {
    this.send({
      type: "error",
      error: {
        type: options.type ?? "invalid_request_error",
        code,
        message,
        param: options.param ?? null,
        event_id: options.eventId ?? null,
      },
    });
  }

  private receive(data: Buffer | ArrayBuffer | Buffer[]): void {
    const raw = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    const tooBig = frameSizeError(raw.length) ?? frameStructureError(raw);
    if (tooBig) {
      this.error(tooBig.code, tooBig.message);
      return;
    }
    let event: Json;
    try {
      event = JSON.parse(raw.toString()) as Json;
    } catch {
      this.error("invalid_json", "Invalid event: failed to parse JSON value.");
      return;
    }
    const eventId =
      event !== null && typeof event === "object" && typeof event.event_id === "string"
        ? event.event_id
        : undefined;
    const tooComplex = eventShapeError(event);
    if (tooComplex) {
      this.error(tooComplex.code, tooComplex.message, { eventId });
      return;
    }
    const invalid =
      clientEventError(withoutReferences(event)) ??
      referenceError(event, (id) => this.conversation.has(id));
    if (invalid) {
      this.error(invalid.code, invalid.message, { param: invalid.param, eventId });
      return;
    }
    try {
      this.dispatch(event, eventId);
    } catch (e) {
      this.error("server_error", e instanceof Error ? e.message : String(e), {
        type: "server_error",
        eventId,
      });
    }
  }

  private dispatch(event: Json, eventId: string | undefined): void {
    const type = String(event.type);
    if (type === "session.update") {
      this.updateSession(event.session as Json, eventId);
      return;
    }
    if (type === "response.create") {
      this.createResponse((event.response as ResponseParams | undefined) ?? {}, eventId);
      return;
    }
    if (type === "response.cancel") {
      this.cancelResponse(event.response_id as string | undefined, eventId);
      return;
    }
    if (type.startsWith("input_audio_buffer.")) {
      handleAudioEvent(this, event, eventId);
      return;
    }
    if (type.startsWith("conversation.item.")) {
      handleItemEvent(this, event, eventId);
      return;
    }
    if (type === "output_audio_buffer.clear") {
      this.error(
        "unsupported_event",
        "output_audio_buffer.clear is only for WebRTC and SIP sessions; over WebSocket the client plays audio itself.",
        { eventId },
      );
      return;
    }
  }

  private updateSession(update: Json, eventId: string | undefined): void {
    if (update.type !== "realtime") {
      this.error(
        "unsupported_session_type",
        'The local server simulates realtime sessions only (session.type "realtime").',
        { param: "session.type", eventId },
      );
      return;
    }
    const refused = configValueError(update, "session");
    if (refused) {
      this.error(refused.code, refused.message, { param: refused.param, eventId });
      return;
    }
    const voice = (update.audio as { output?: { voice?: string } } | undefined)?.output?.voice;
    if (voice !== undefined && this.audioOut && voice !== sessionView.voice(this.current)) {
      this.error(
        "cannot_update_voice",
        "Cannot update a conversation's voice if assistant audio is present.",
        { param: "session.audio.output.voice", eventId },
      );
      return;
    }
    this.current = applySessionUpdate(this.current, update);
    this.audio.configure(
      asAudioFormat(sessionView.inputFormat(this.current)),
      sessionView.turnDetection(this.current) as TurnDetectionConfig | null,
    );
    this.send({ type: "session.updated", session: this.current });
    this.mcpSession.sync((this.current.tools as Json[] | undefined) ?? []);
  }

  /** Starts a response; a second one in the default conversation is refused with the API's code. */
  createResponse(params: ResponseParams, eventId?: string): void {
    const refused = configValueError(params as Json, "response");
    if (refused) {
      this.error(refused.code, refused.message, { param: refused.param, eventId });
      return;
    }
    const outOfBand = params.conversation === "none";
    if (!outOfBand && this.active) {
      this.error(
        "conversation_already_has_active_response",
        `Conversation already has an active response in progress: ${this.active.id}. Wait until the response is finished before creating a new one.`,
        { eventId },
      );
      return;
    }
    const response = new ActiveResponse(this, params, {
      previousInput: this.previousInput,
      onInput: (total) => {
        this.previousInput = total;
      },
    });
    if (outOfBand) this.outOfBand.add(response);
    else this.active = response;
    void response.done
      // A simulator bug must not become an unhandled rejection in the host process (agent dev, a test run).
      .catch((e: unknown) =>
        this.error("server_error", e instanceof Error ? e.message : String(e), {
          type: "server_error",
        }),
      )
      .finally(() => {
        if (this.active === response) {
          this.active = undefined;
          this.idleSinceMs = this.audio.receivedMs;
          if (this.answerAfterActive && !this.closed) {
            this.answerAfterActive = false;
            this.createResponse({});
          }
        }
        this.outOfBand.delete(response);
        this.send({
          type: "rate_limits.updated",
          // The API reports only a tokens entry (recorded live).
          rate_limits: [
            { name: "tokens", limit: 15000000, remaining: 14999716, reset_seconds: 0.001 },
          ],
        });
      });
  }

  /**
   * VAD's answer to a committed turn. The API cancels the response the user talked over and answers the turn; when
   * the whole utterance arrives in one append (pace 0, a buffered caller) the cancelled response has not ended yet
   * at the commit, so the answer waits for its response.done instead of being lost.
   */
  answerTurn(): void {
    if (!this.active) this.createResponse({});
    else if (this.active.cancelling) this.answerAfterActive = true;
  }

  private cancelResponse(responseId: string | undefined, eventId: string | undefined): void {
    const target = responseId
      ? [this.active, ...this.outOfBand].find((r) => r?.id === responseId)
      : this.active;
    if (!target) {
      this.error("response_cancel_not_active", "Cancellation failed: no active response found.", {
        eventId,
      });
      return;
    }
    target.cancel("client_cancelled");
  }

  /** Ends everything this session runs (responses, MCP connections). */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.sender.release();
    this.active?.cancel("client_cancelled");
    for (const r of this.outOfBand) r.cancel("client_cancelled");
    void this.mcpSession.close();
  }
}
