// Session log format 3 leaves out the session events that are a pure function of one protocol event the log already
// holds (an `agent.audio` is its `response.output_audio.delta`, an `agent.transcript.done` its
// `response.output_audio_transcript.done`): writing them cost as much again per frame as the frame itself (issue 18).
// The reader makes them again from those lines, so that every reader sees the events of format 2.

import type {
  RealtimeResponseUsage,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
} from "openai/resources/realtime/realtime";
import { countTokens } from "../pricing/cost.ts";
import { bytesPerMs } from "../runtime/audio-clock.ts";
import type { StreamEvent } from "../runtime/event-stream.ts";
import type { SessionLogEvent } from "./format.ts";

/**
 * The session events a format-3 log does not write: the session does not build them for the log either (nor emits
 * them at all when only the log listens). deriveEvents makes them again on read.
 */
export const DERIVED_EVENTS: ReadonlySet<string> = new Set([
  "agent.audio",
  "agent.audio.done",
  "agent.transcript.delta",
  "agent.transcript.done",
  "user.transcript.delta",
  "user.transcript.done",
  "user.speech.started",
  "user.speech.stopped",
  "response.first_output",
]);

type Line = SessionLogEvent & { at: number; sessionId: string; seq: number };

/** A session's output format, when it says one (a transcription session has no output). */
function outputFormat(session: unknown) {
  return (session as Partial<RealtimeSessionCreateRequest> | undefined)?.audio?.output?.format;
}

/**
 * A format-3 log's events with the derived ones (DERIVED_EVENTS) put back as the session emitted them: each right
 * after the protocol event it comes from, with that event's `at`, `sessionId` and `seq` (a typed user message's
 * `user.transcript.done` after its `item.done`, whose text it is). A response's kind comes from its
 * `response.started`; the audio of responses an interruption cut off is muted, as the session mutes it. Where the
 * log wrote a part's first chunk only (`chunks: "first"`), the derived events are those of the first chunk too.
 */
export function deriveEvents(events: SessionLogEvent[]): SessionLogEvent[] {
  const out: SessionLogEvent[] = [];
  const kinds = new Map<string, string>();
  /** Responses started and not done: an interruption mutes them all. */
  const live = new Set<string>();
  const muted = new Set<string>();
  const outputs = new Set<string>();
  const typed = new Set<string>();
  /** The output format's, from the session the server confirmed (as the session's audio clock reads it). */
  let perMs = bytesPerMs(undefined);
  /** Each response's usage, from its `response.done` frame: a format-4 `usage` line leaves it out. */
  const usages = new Map<string, unknown>();
  for (let e of events as Line[]) {
    if (e.type === "usage" && (e as { tokens?: unknown }).tokens === undefined)
      e = withUsage(e, usages.get(e.responseId)) as Line;
    out.push(e);
    const meta = { at: e.at, sessionId: e.sessionId, seq: e.seq };
    const add = (type: string, fields: Record<string, unknown>) =>
      out.push({ type, ...fields, ...meta } as unknown as StreamEvent);
    switch (e.type) {
      case "response.started":
        kinds.set(e.responseId, e.kind);
        live.add(e.responseId);
        continue;
      case "response.done":
        live.delete(e.responseId);
        continue;
      case "interrupted":
        for (const id of live) muted.add(id);
        continue;
      case "item.done":
        if (e.item.id !== undefined && typed.delete(e.item.id))
          add("user.transcript.done", { itemId: e.item.id, transcript: e.item.text });
        continue;
      case "client.event": {
        // The session reads its output format from the update it sends first, then from what the server confirms.
        const format = outputFormat(e.event.session);
        if (e.event.type === "session.update" && format) perMs = bytesPerMs(format);
        continue;
      }
      case "server.event":
        break;
      default:
        continue;
    }
    // The protocol event as the log holds it: redacted, its base64 audio replaced by `audioBytes`.
    const f = e.event as unknown as RealtimeServerEvent;
    const kind = (responseId: string) => kinds.get(responseId) ?? "answer";
    const firstOutput = (responseId: string) => {
      if (outputs.has(responseId)) return;
      outputs.add(responseId);
      add("response.first_output", { responseId, kind: kind(responseId) });
    };
    switch (f.type) {
      case "session.updated": {
        // As settings.ts: an update that leaves the format out (a handoff's) keeps the one in force.
        const format = outputFormat(f.session);
        if (format) perMs = bytesPerMs(format);
        break;
      }
      case "conversation.item.input_audio_transcription.delta":
        if (f.delta) add("user.transcript.delta", { itemId: f.item_id, delta: f.delta });
        break;
      case "conversation.item.input_audio_transcription.completed":
        add("user.transcript.done", { itemId: f.item_id, transcript: f.transcript });
        break;
      case "input_audio_buffer.speech_started":
        add("user.speech.started", { itemId: f.item_id, audioStartMs: f.audio_start_ms });
        break;
      case "input_audio_buffer.speech_stopped":
        add("user.speech.stopped", { itemId: f.item_id, audioEndMs: f.audio_end_ms });
        break;
      case "conversation.item.done": {
        const item = f.item;
        if (item?.type === "message" && item.role === "user" && item.id)
          if (item.content?.some((p) => p.type === "input_text")) typed.add(item.id);
        break;
      }
      case "response.output_audio.delta": {
        const { item_id: itemId, response_id: responseId } = f;
        firstOutput(responseId);
        if (muted.has(responseId)) break;
        // A log holds the chunk's size, not its audio.
        const bytes = (f as { audioBytes?: number }).audioBytes ?? 0;
        add("agent.audio", {
          itemId,
          responseId,
          kind: kind(responseId),
          audioBytes: bytes,
          ms: bytes / perMs,
        });
        break;
      }
      case "response.output_audio.done":
        add("agent.audio.done", {
          itemId: f.item_id,
          responseId: f.response_id,
          kind: kind(f.response_id),
        });
        break;
      case "response.output_audio_transcript.delta":
      case "response.output_text.delta":
        firstOutput(f.response_id);
        add("agent.transcript.delta", {
          itemId: f.item_id,
          responseId: f.response_id,
          kind: kind(f.response_id),
          delta: f.delta,
        });
        break;
      case "response.output_audio_transcript.done":
      case "response.output_text.done":
        add("agent.transcript.done", {
          itemId: f.item_id,
          responseId: f.response_id,
          kind: kind(f.response_id),
          transcript: f.type === "response.output_text.done" ? f.text : f.transcript,
        });
        break;
      case "response.done": {
        const id = f.response?.id;
        outputs.delete(id ?? "");
        if (id !== undefined) usages.set(id, f.response.usage);
        break;
      }
    }
  }
  return out;
}

/**
 * A format-4 `usage` line with what it leaves out put back where the session has them: `usage` (its response's
 * `response.done` frame says it) and `tokens` (countTokens of it, as the meter counts).
 */
function withUsage(e: Line & { type: "usage" }, usage: unknown): SessionLogEvent {
  const { responseId, kind, ...rest } = e as unknown as Record<string, unknown>;
  const copy = usage === undefined ? undefined : (structuredClone(usage) as RealtimeResponseUsage);
  return {
    responseId,
    kind,
    ...(copy === undefined ? {} : { usage: copy }),
    tokens: countTokens(copy),
    ...rest,
  } as SessionLogEvent;
}
