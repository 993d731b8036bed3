import type { ConversationItem, RealtimeServerEvent } from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { Logger } from "../log/index.ts";
import type { AudioClock } from "./audio-clock.ts";
import { base64Bytes } from "./audio-clock.ts";
import type { ConversationRecord } from "./conversation.ts";
import type { ResponseKind, SessionEvents } from "./events.ts";
import type { InternalBus } from "./internal-events.ts";
import type { LatencyTracker } from "./latency.ts";
import type { ResponseQueue } from "./response-queue.ts";
import type { LiveResponse } from "./response-types.ts";
import type { SafeEmitter } from "./safe-emitter.ts";

/**
 * What the dispatcher works on: the state it updates, where session events go (`events`) and where the runtime's
 * own reactions go (`bus`, typed internal events), plus two questions about the session.
 */
export interface DispatchContext {
  conversation: ConversationRecord;
  responses: ResponseQueue;
  audio: AudioClock;
  latency: LatencyTracker;
  clock: Clock;
  log: Logger;
  events: SafeEmitter<SessionEvents>;
  bus: InternalBus;
  /** True for a response cut off by an interruption: its trailing audio is dropped. */
  muted(responseId: string): boolean;
  /** True for text-only sessions: the first text delta, not audio, marks latency. */
  textOnly(): boolean;
}

/**
 * Maps each server event to state changes and session events. One switch, no per-event allocation beyond what the
 * payloads need; events nobody listens to are not built (audio is only decoded for `agent.audio` listeners).
 * A class, not a closure over its helpers: an idle session holds one small object (the peers bench's idle memory).
 */
export class Dispatcher {
  readonly #ctx: DispatchContext;
  #spoke = false;
  /** responseId → what it is, while its deltas arrive (made on the first response). */
  #kinds: Map<string, LiveResponse> | undefined;
  /** Responses whose first output was seen: `response.first_output` once each. */
  #outputs: Set<string> | undefined;
  // The response whose chunks are arriving (they come in runs, dozens per response): its kind, and that its first
  // output was seen, known without two lookups per chunk. Set at its first output, dropped at its response.done.
  #runId: string | undefined;
  #runKind: ResponseKind = "answer";

  constructor(ctx: DispatchContext) {
    this.#ctx = ctx;
  }

  #kindOf(responseId: string): ResponseKind {
    return responseId === this.#runId
      ? this.#runKind
      : (this.#kinds?.get(responseId)?.kind ?? "answer");
  }

  #firstOutput(responseId: string): void {
    if (responseId === this.#runId || this.#outputs?.has(responseId)) return;
    this.#outputs ??= new Set();
    this.#outputs.add(responseId);
    this.#runKind = this.#kindOf(responseId);
    this.#runId = responseId;
    const events = this.#ctx.events;
    if (events.listenerCount("response.first_output"))
      events.emit("response.first_output", { responseId, kind: this.#runKind });
  }

  /** A server-side MCP call's item (the Realtime API runs it): `mcp.call` for tracing. */
  #mcpCall(
    state: "started" | "done",
    responseId: string,
    item: { type: string; id?: string; name?: string; server_label?: string; error?: unknown },
  ): void {
    const events = this.#ctx.events;
    if (item.type !== "mcp_call" || !item.id || !events.listenerCount("mcp.call")) return;
    events.emit("mcp.call", {
      state,
      itemId: item.id,
      responseId,
      tool: item.name ?? "",
      server: item.server_label ?? "",
      ...(state === "done" && item.error != null ? { error: mcpErrorText(item.error) } : {}),
    });
  }

  #itemEvent(
    name: "item.added" | "item.done",
    item: ConversationItem,
    previous?: string | null,
  ): void {
    const { conversation, events } = this.#ctx;
    const entry =
      name === "item.added"
        ? conversation.added(item, previous)
        : conversation.done(item, previous);
    if (!entry) return;
    if (events.listenerCount(name)) events.emit(name, { item: { ...entry } });
    if (name === "item.done" && item.type === "message" && item.role === "user") {
      const typed = item.content.some((p) => p.type === "input_text");
      if (typed && events.listenerCount("user.transcript.done")) {
        events.emit("user.transcript.done", { itemId: entry.id, transcript: entry.text });
      }
    }
  }

  /** `now`: the clock's reading for this event when the caller took one (the session log's line has it too). */
  dispatch(event: RealtimeServerEvent, now?: number): void {
    const ctx = this.#ctx;
    // The session's parts and its clock and log are getters (the parts made on first use): read where a case needs
    // them, not for every frame.
    const { events, bus } = ctx;
    // The watchdog's heartbeat: any event naming a response shows it is alive (a field read and a map lookup). The
    // time is read once per event: an audio chunk's handling below uses it too.
    const responseId = (event as { response_id?: unknown }).response_id;
    let at = 0;
    if (typeof responseId === "string") {
      at = now ?? ctx.clock.now();
      ctx.responses.touch(responseId, at);
    }
    switch (event.type) {
      case "session.created":
        bus.emit("session.created", event);
        return;
      case "session.updated":
        bus.emit("session.updated", event);
        return;
      case "error":
        bus.emit("server.error", event);
        return;
      case "conversation.item.added":
      case "conversation.item.created":
        this.#itemEvent("item.added", event.item, event.previous_item_id);
        return;
      case "conversation.item.done":
        this.#itemEvent("item.done", event.item, event.previous_item_id);
        return;
      case "conversation.item.deleted":
        ctx.conversation.deleted(event.item_id);
        return;
      case "conversation.item.truncated":
        ctx.conversation.truncated(event.item_id, event.audio_end_ms);
        return;
      case "conversation.item.input_audio_transcription.delta":
        if (event.delta) {
          ctx.conversation.appendText(event.item_id, event.delta);
          events.emit("user.transcript.delta", { itemId: event.item_id, delta: event.delta });
        }
        return;
      case "conversation.item.input_audio_transcription.completed":
        ctx.conversation.setText(event.item_id, event.transcript);
        events.emit("user.transcript.done", {
          itemId: event.item_id,
          transcript: event.transcript,
        });
        return;
      // A session event made from one protocol event goes out before what reacting to it emits (an interruption, a
      // user turn, a latency figure): a session log leaves it out and its reader puts it back right after that
      // protocol event's line (session-log/derive.ts), so this order is the one a log reads back.
      case "input_audio_buffer.speech_started":
        events.emit("user.speech.started", {
          itemId: event.item_id,
          audioStartMs: event.audio_start_ms,
        });
        bus.emit("speech.started", event);
        return;
      case "input_audio_buffer.speech_stopped":
        events.emit("user.speech.stopped", {
          itemId: event.item_id,
          audioEndMs: event.audio_end_ms,
        });
        bus.emit("speech.stopped", event);
        return;
      case "response.created": {
        const live = ctx.responses.responseCreated(event.response);
        this.#kinds ??= new Map();
        this.#kinds.set(live.id, live);
        if (events.listenerCount("response.started"))
          events.emit("response.started", {
            responseId: live.id,
            kind: live.kind,
            origin: live.origin,
            outOfBand: live.outOfBand,
          });
        return;
      }
      case "response.output_audio.delta": {
        this.#firstOutput(event.response_id);
        const bytes = base64Bytes(event.delta);
        if (ctx.muted(event.response_id)) {
          ctx.conversation.addAudio(event.item_id, ctx.audio.ms(bytes));
          return;
        }
        const ms = ctx.audio.delivered(
          event.item_id,
          bytes,
          at,
          event.content_index,
          event.response_id,
        );
        ctx.conversation.addAudio(event.item_id, ms);
        if (!this.#spoke) {
          this.#spoke = true;
          bus.emit("agent.spoke");
        }
        const kind = this.#kindOf(event.response_id);
        if (events.listenerCount("agent.audio")) {
          const chunk = Buffer.from(event.delta, "base64");
          events.emit("agent.audio", {
            itemId: event.item_id,
            responseId: event.response_id,
            kind,
            audio: chunk,
            ms,
          });
        }
        ctx.latency.agentOutput(kind, at);
        return;
      }
      case "response.output_audio.done":
        if (events.listenerCount("agent.audio.done"))
          events.emit("agent.audio.done", {
            itemId: event.item_id,
            responseId: event.response_id,
            kind: this.#kindOf(event.response_id),
          });
        return;
      case "response.output_audio_transcript.delta":
      case "response.output_text.delta": {
        this.#firstOutput(event.response_id);
        ctx.conversation.appendText(event.item_id, event.delta);
        if (events.listenerCount("agent.transcript.delta"))
          events.emit("agent.transcript.delta", {
            itemId: event.item_id,
            responseId: event.response_id,
            kind: this.#kindOf(event.response_id),
            delta: event.delta,
          });
        if (event.type === "response.output_text.delta" || ctx.textOnly())
          ctx.latency.agentOutput(this.#kindOf(event.response_id), at);
        return;
      }
      case "response.output_audio_transcript.done":
      case "response.output_text.done": {
        const transcript =
          event.type === "response.output_text.done" ? event.text : event.transcript;
        ctx.conversation.setText(event.item_id, transcript);
        if (events.listenerCount("agent.transcript.done"))
          events.emit("agent.transcript.done", {
            itemId: event.item_id,
            responseId: event.response_id,
            kind: this.#kindOf(event.response_id),
            transcript,
          });
        return;
      }
      case "response.output_item.added":
        this.#mcpCall("started", event.response_id, event.item);
        return;
      case "response.output_item.done":
        if (event.item.type === "function_call") bus.emit("function.call", event.item);
        else if (event.item.type === "mcp_approval_request")
          bus.emit("approval.request", event.item);
        else this.#mcpCall("done", event.response_id, event.item);
        return;
      case "response.mcp_call.failed":
        if (events.listenerCount("mcp.call"))
          events.emit("mcp.call", {
            state: "failed",
            itemId: event.item_id,
            responseId: "",
            tool: "",
            server: "",
          });
        return;
      case "response.done": {
        const id = event.response.id ?? "";
        const live = this.#kinds?.get(id);
        this.#kinds?.delete(id);
        this.#outputs?.delete(id);
        if (this.#runId === id) this.#runId = undefined;
        // A call whose output_item.done we missed still gets handled (the session dedupes by call_id).
        for (const item of event.response.output ?? []) {
          if (item.type === "function_call") bus.emit("function.call", item);
          else if (item.type === "mcp_approval_request") bus.emit("approval.request", item);
        }
        const end = { response: event.response, live };
        bus.emit("response.finishing", end);
        ctx.responses.responseDone(event.response);
        bus.emit("response.finished", end);
        return;
      }
      case "input_audio_buffer.committed":
      case "input_audio_buffer.cleared":
      case "rate_limits.updated":
      case "response.content_part.added":
      case "response.content_part.done":
      case "response.function_call_arguments.delta":
      case "response.function_call_arguments.done":
      case "conversation.item.input_audio_transcription.segment":
        return;
      default: {
        const log = ctx.log;
        if (log.enabled("debug"))
          log.debug("ignored server event", { type: (event as { type: string }).type });
      }
    }
  }
}

/** An `mcp_call` item's error as one line of text (its shape differs per failure: protocol, HTTP, tool). */
export function mcpErrorText(error: unknown): string {
  if (typeof error === "string") return error;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" ? message : JSON.stringify(error);
}
