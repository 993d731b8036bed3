import type {
  ConversationItem,
  RealtimeConversationItemFunctionCall,
  RealtimeErrorEvent,
  RealtimeMcpApprovalRequest,
  RealtimeResponse,
  RealtimeServerEvent,
  SessionCreatedEvent,
  SessionUpdatedEvent,
} from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { Logger } from "../log/index.ts";
import type { AudioClock } from "./audio-clock.ts";
import { base64Bytes } from "./audio-clock.ts";
import type { ConversationRecord } from "./conversation.ts";
import type { ResponseKind, SessionEvents } from "./events.ts";
import type { LatencyTracker } from "./latency.ts";
import type { LiveResponse, ResponseQueue } from "./response-queue.ts";
import type { SafeEmitter } from "./safe-emitter.ts";

/** What the dispatcher needs from its session. The session builds it over its private state. */
export interface DispatchContext {
  conversation: ConversationRecord;
  responses: ResponseQueue;
  audio: AudioClock;
  latency: LatencyTracker;
  clock: Clock;
  log: Logger;
  events: SafeEmitter<SessionEvents>;
  /** True for a response cut off by an interruption: its trailing audio is dropped. */
  muted(responseId: string): boolean;
  /** True for text-only sessions: the first text delta, not audio, marks latency. */
  textOnly(): boolean;
  sessionCreated(event: SessionCreatedEvent): void;
  sessionUpdated(event: SessionUpdatedEvent): void;
  serverError(event: RealtimeErrorEvent): void;
  audioProduced(): void;
  speechStarted(): void;
  speechStopped(): void;
  functionCall(item: RealtimeConversationItemFunctionCall): void;
  approvalRequest(item: RealtimeMcpApprovalRequest): void;
  /** Usage, cost and budget; called before the slot is freed, so a goodbye can go first. */
  responseFinishing(response: RealtimeResponse, live: LiveResponse | undefined): void;
  responseFinished(response: RealtimeResponse, live: LiveResponse | undefined): void;
}

/**
 * Maps each server event to state changes and session events. One switch, no per-event allocation beyond what the
 * payloads need; events nobody listens to are not built (audio is only decoded for `agent.audio` listeners).
 */
export function createDispatcher(ctx: DispatchContext): (event: RealtimeServerEvent) => void {
  const { conversation, responses, audio, latency, clock, events, log } = ctx;
  const kinds = new Map<string, LiveResponse>(); // responseId → what it is, while its deltas arrive

  const kindOf = (responseId: string): ResponseKind => kinds.get(responseId)?.kind ?? "answer";

  const itemEvent = (
    name: "item.added" | "item.done",
    item: ConversationItem,
    previous?: string | null,
  ) => {
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
  };

  return (event) => {
    // The watchdog's heartbeat: any event naming a response shows it is alive (a field read and a map lookup).
    const responseId = (event as { response_id?: unknown }).response_id;
    if (typeof responseId === "string") responses.touch(responseId);
    switch (event.type) {
      case "session.created":
        ctx.sessionCreated(event);
        return;
      case "session.updated":
        ctx.sessionUpdated(event);
        return;
      case "error":
        ctx.serverError(event);
        return;
      case "conversation.item.added":
      case "conversation.item.created":
        itemEvent("item.added", event.item, event.previous_item_id);
        return;
      case "conversation.item.done":
        itemEvent("item.done", event.item, event.previous_item_id);
        return;
      case "conversation.item.deleted":
        conversation.deleted(event.item_id);
        return;
      case "conversation.item.truncated":
        conversation.truncated(event.item_id, event.audio_end_ms);
        return;
      case "conversation.item.input_audio_transcription.delta":
        if (event.delta) {
          conversation.appendText(event.item_id, event.delta);
          events.emit("user.transcript.delta", { itemId: event.item_id, delta: event.delta });
        }
        return;
      case "conversation.item.input_audio_transcription.completed":
        conversation.setText(event.item_id, event.transcript);
        events.emit("user.transcript.done", {
          itemId: event.item_id,
          transcript: event.transcript,
        });
        return;
      case "input_audio_buffer.speech_started":
        ctx.speechStarted();
        events.emit("user.speech.started", {
          itemId: event.item_id,
          audioStartMs: event.audio_start_ms,
        });
        return;
      case "input_audio_buffer.speech_stopped":
        ctx.speechStopped();
        events.emit("user.speech.stopped", {
          itemId: event.item_id,
          audioEndMs: event.audio_end_ms,
        });
        return;
      case "response.created": {
        const live = responses.responseCreated(event.response);
        kinds.set(live.id, live);
        events.emit("response.started", {
          responseId: live.id,
          kind: live.kind,
          origin: live.origin,
          outOfBand: live.outOfBand,
        });
        return;
      }
      case "response.output_audio.delta": {
        const bytes = base64Bytes(event.delta);
        if (ctx.muted(event.response_id)) {
          conversation.addAudio(event.item_id, audio.ms(bytes));
          return;
        }
        const now = clock.now();
        const ms = audio.delivered(
          event.item_id,
          bytes,
          now,
          event.content_index,
          event.response_id,
        );
        conversation.addAudio(event.item_id, ms);
        ctx.audioProduced();
        const kind = kindOf(event.response_id);
        latency.agentOutput(kind, now);
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
        return;
      }
      case "response.output_audio.done":
        events.emit("agent.audio.done", {
          itemId: event.item_id,
          responseId: event.response_id,
          kind: kindOf(event.response_id),
        });
        return;
      case "response.output_audio_transcript.delta":
      case "response.output_text.delta": {
        conversation.appendText(event.item_id, event.delta);
        const kind = kindOf(event.response_id);
        if (event.type === "response.output_text.delta" || ctx.textOnly())
          latency.agentOutput(kind, clock.now());
        events.emit("agent.transcript.delta", {
          itemId: event.item_id,
          responseId: event.response_id,
          kind,
          delta: event.delta,
        });
        return;
      }
      case "response.output_audio_transcript.done":
      case "response.output_text.done": {
        const transcript =
          event.type === "response.output_text.done" ? event.text : event.transcript;
        conversation.setText(event.item_id, transcript);
        events.emit("agent.transcript.done", {
          itemId: event.item_id,
          responseId: event.response_id,
          kind: kindOf(event.response_id),
          transcript,
        });
        return;
      }
      case "response.output_item.done":
        if (event.item.type === "function_call") ctx.functionCall(event.item);
        else if (event.item.type === "mcp_approval_request") ctx.approvalRequest(event.item);
        return;
      case "response.done": {
        const id = event.response.id ?? "";
        const live = kinds.get(id);
        kinds.delete(id);
        // A call whose output_item.done we missed still gets handled (the session dedupes by call_id).
        for (const item of event.response.output ?? []) {
          if (item.type === "function_call") ctx.functionCall(item);
          else if (item.type === "mcp_approval_request") ctx.approvalRequest(item);
        }
        ctx.responseFinishing(event.response, live);
        responses.responseDone(event.response);
        ctx.responseFinished(event.response, live);
        return;
      }
      case "input_audio_buffer.committed":
      case "input_audio_buffer.cleared":
      case "rate_limits.updated":
      case "response.output_item.added":
      case "response.content_part.added":
      case "response.content_part.done":
      case "response.function_call_arguments.delta":
      case "response.function_call_arguments.done":
      case "conversation.item.input_audio_transcription.segment":
        return;
      default:
        if (log.enabled("debug"))
          log.debug("ignored server event", { type: (event as { type: string }).type });
    }
  };
}
