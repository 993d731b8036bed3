// Session log format 3 leaves out the session events that are a pure function of one protocol event the log already
// holds (an `agent.audio` is its `response.output_audio.delta`, an `agent.transcript.done` its
// `response.output_audio_transcript.done`): writing them cost as much again per frame as the frame itself (issue 18).
// The reader makes them again from those lines, so that every reader sees the events of format 2.

import type { RealtimeResponseUsage } from "openai/resources/realtime/realtime";
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

interface ServerFrame {
  type: string;
  item_id?: string;
  response_id?: string;
  delta?: string;
  transcript?: string;
  text?: string;
  audioBytes?: number;
  audio_start_ms?: number;
  audio_end_ms?: number;
  item?: { id?: string; type?: string; role?: string; content?: { type?: string }[] };
  session?: { audio?: { output?: { format?: { type?: string; rate?: number } } } };
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
      case "server.event":
        break;
      default:
        continue;
    }
    const f = e.event as ServerFrame;
    const itemId = f.item_id as string;
    const responseId = f.response_id as string;
    const kind = () => kinds.get(responseId) ?? "answer";
    const firstOutput = () => {
      if (outputs.has(responseId)) return;
      outputs.add(responseId);
      add("response.first_output", { responseId, kind: kind() });
    };
    switch (f.type) {
      case "session.created":
      case "session.updated":
        perMs = bytesPerMs(f.session?.audio?.output?.format);
        break;
      case "conversation.item.input_audio_transcription.delta":
        if (f.delta) add("user.transcript.delta", { itemId, delta: f.delta });
        break;
      case "conversation.item.input_audio_transcription.completed":
        add("user.transcript.done", { itemId, transcript: f.transcript });
        break;
      case "input_audio_buffer.speech_started":
        add("user.speech.started", { itemId, audioStartMs: f.audio_start_ms });
        break;
      case "input_audio_buffer.speech_stopped":
        add("user.speech.stopped", { itemId, audioEndMs: f.audio_end_ms });
        break;
      case "conversation.item.done": {
        const item = f.item;
        if (item?.type === "message" && item.role === "user" && item.id)
          if (item.content?.some((p) => p.type === "input_text")) typed.add(item.id);
        break;
      }
      case "response.output_audio.delta": {
        firstOutput();
        if (muted.has(responseId)) break;
        const bytes = f.audioBytes ?? 0;
        add("agent.audio", {
          itemId,
          responseId,
          kind: kind(),
          audioBytes: bytes,
          ms: bytes / perMs,
        });
        break;
      }
      case "response.output_audio.done":
        add("agent.audio.done", { itemId, responseId, kind: kind() });
        break;
      case "response.output_audio_transcript.delta":
      case "response.output_text.delta":
        firstOutput();
        add("agent.transcript.delta", { itemId, responseId, kind: kind(), delta: f.delta });
        break;
      case "response.output_audio_transcript.done":
      case "response.output_text.done":
        add("agent.transcript.done", {
          itemId,
          responseId,
          kind: kind(),
          transcript: f.type === "response.output_text.done" ? f.text : f.transcript,
        });
        break;
      case "response.done": {
        const response = (f as { response?: { id?: string; usage?: unknown } }).response;
        outputs.delete(response?.id ?? "");
        if (response?.id !== undefined) usages.set(response.id, response.usage);
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
