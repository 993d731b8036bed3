// A session log's default for streamed parts (`chunks: "first"`): the first chunk of each part is written as any
// event, the later ones are counted, and one `log.chunks` line sums them up when the part ends. More than half of a
// log's lines were chunks (audio above all); this is what keeps logging cheap (issue 18).

import type { LineGate, StreamEventType } from "../runtime/event-stream.ts";
import { base64Length } from "../runtime/stream-lines.ts";

/** A part's chunks after its first, as its `log.chunks` line gives them (see LogChunksLine). */
export interface ChunkSummary {
  of: string;
  item_id?: string;
  response_id?: string;
  content_index?: number;
  count: number;
  bytes?: number;
  chars?: number;
  first_at: number;
  last_at: number;
  max_gap_ms: number;
  /** The unwritten chunks' text, joined: only for a text part that ended without its `.done` (which carries it). */
  text?: string;
}

interface Part {
  summary: ChunkSummary;
  /** Text parts: the unwritten chunks' text until the part ends (undefined for audio). */
  text: string | undefined;
  /** The last chunk's time (the first's, until a second comes). */
  prevAt: number;
}

type Ended = (summary: ChunkSummary) => void;

interface Chunk {
  type: string;
  item_id?: string;
  response_id?: string;
  content_index?: number;
  delta?: string;
  audio?: string;
}

/** The key of the client's input audio: one part from one commit (or clear) to the next. */
const APPEND = "input_audio_buffer.append";

/**
 * Decides per event, from its type and item only, whether a log writes it; keeps the counts of what it did not. One
 * per log. The stream asks before it builds any line (LineGate).
 */
export class ChunkGate implements LineGate {
  readonly #parts = new Map<string, Part>();

  /** Whether `take` would leave a protocol event out, without counting it (the stream's check before emitting). */
  skipsFrame(event: Record<string, unknown>): boolean {
    const e = event as unknown as Chunk;
    const of = e.type;
    if (of === APPEND) return this.#parts.has(APPEND);
    if (!isChunkType(of)) return false;
    return this.#parts.has(partKey(of, e.item_id, e.content_index));
  }

  take(type: StreamEventType, payload: unknown, at: number, ended: Ended): boolean {
    switch (type) {
      case "server.event":
        return this.#server(payload as Chunk, at, ended);
      case "client.event": {
        const e = payload as Chunk;
        if (e.type === APPEND)
          return this.#chunk(APPEND, APPEND, undefined, undefined, undefined, at, {
            bytes: typeof e.audio === "string" ? base64Length(e.audio) : 0,
          });
        if (e.type === "input_audio_buffer.commit" || e.type === "input_audio_buffer.clear")
          this.#end(APPEND, ended, false);
        return false;
      }
      case "agent.audio": {
        const e = payload as { itemId: string; responseId: string; audio: Uint8Array };
        return this.#chunk(`${type}|${e.itemId}`, type, e.itemId, e.responseId, undefined, at, {
          bytes: e.audio.byteLength,
        });
      }
      case "agent.transcript.delta":
      case "user.transcript.delta": {
        const e = payload as { itemId: string; responseId?: string; delta: string };
        return this.#chunk(`${type}|${e.itemId}`, type, e.itemId, e.responseId, undefined, at, {
          text: e.delta,
        });
      }
      case "agent.audio.done":
        this.#end(`agent.audio|${(payload as { itemId: string }).itemId}`, ended, false);
        return false;
      case "agent.transcript.done":
      case "user.transcript.done": {
        const item = (payload as { itemId: string }).itemId;
        this.#end(
          `${type === "agent.transcript.done" ? "agent" : "user"}.transcript.delta|${item}`,
          ended,
          true,
        );
        return false;
      }
      case "closed":
        for (const key of [...this.#parts.keys()]) this.#end(key, ended, false);
        return false;
      default:
        return false;
    }
  }

  #server(e: Chunk, at: number, ended: Ended): boolean {
    const of = e.type;
    switch (of) {
      case "response.output_audio.delta":
        return this.#chunk(
          partKey(of, e.item_id, e.content_index),
          of,
          e.item_id,
          e.response_id,
          e.content_index,
          at,
          {
            bytes: typeof e.delta === "string" ? base64Length(e.delta) : 0,
          },
        );
      case "response.output_audio_transcript.delta":
      case "response.output_text.delta":
      case "response.function_call_arguments.delta":
      case "conversation.item.input_audio_transcription.delta":
        return this.#chunk(
          partKey(of, e.item_id, e.content_index),
          of,
          e.item_id,
          e.response_id,
          e.content_index,
          at,
          {
            text: e.delta ?? "",
          },
        );
      case "response.output_audio.done":
      case "response.output_audio_transcript.done":
      case "response.output_text.done":
      case "response.function_call_arguments.done":
        // The `.done` of a text part carries the whole text: the summary need not.
        this.#end(
          partKey(of.replace(/\.done$/, ".delta"), e.item_id, e.content_index),
          ended,
          true,
        );
        return false;
      case "conversation.item.input_audio_transcription.completed":
      case "conversation.item.input_audio_transcription.failed":
        this.#end(
          partKey("conversation.item.input_audio_transcription.delta", e.item_id, e.content_index),
          ended,
          of.endsWith(".completed"),
        );
        return false;
      case "response.done": {
        const id = (e as { response?: { id?: string } }).response?.id;
        for (const [key, part] of [...this.#parts])
          if (id !== undefined && part.summary.response_id === id) this.#end(key, ended, false);
        return false;
      }
      // Server VAD commits (and clears) the input buffer itself: the client's appends run on between.
      case "input_audio_buffer.committed":
      case "input_audio_buffer.cleared":
        this.#end(APPEND, ended, false);
        return false;
      default:
        return false;
    }
  }

  /** Counts a chunk of a part already started (true), or starts the part (false: the chunk is written). */
  #chunk(
    key: string,
    of: string,
    item: string | undefined,
    response: string | undefined,
    contentIndex: number | undefined,
    at: number,
    size: { bytes?: number; text?: string },
  ): boolean {
    const part = this.#parts.get(key);
    if (!part) {
      const summary: ChunkSummary = { of, count: 0, first_at: at, last_at: at, max_gap_ms: 0 };
      if (item !== undefined) summary.item_id = item;
      if (response !== undefined) summary.response_id = response;
      if (contentIndex !== undefined) summary.content_index = contentIndex;
      if (size.text === undefined) summary.bytes = 0;
      else summary.chars = 0;
      this.#parts.set(key, { summary, text: size.text === undefined ? undefined : "", prevAt: at });
      return false;
    }
    const s = part.summary;
    if (s.count === 0) s.first_at = at;
    s.count++;
    s.last_at = at;
    if (at - part.prevAt > s.max_gap_ms) s.max_gap_ms = at - part.prevAt;
    part.prevAt = at;
    if (size.text !== undefined) {
      s.chars = (s.chars ?? 0) + size.text.length;
      part.text += size.text;
    } else s.bytes = (s.bytes ?? 0) + (size.bytes ?? 0);
    return true;
  }

  /** Ends a part: its summary goes out if any chunk went unwritten (with their text unless its `.done` has it). */
  #end(key: string, ended: Ended, done: boolean): void {
    const part = this.#parts.get(key);
    if (!part) return;
    this.#parts.delete(key);
    if (!part.summary.count) return;
    if (!done && part.text) part.summary.text = part.text;
    ended(part.summary);
  }
}

function isChunkType(type: string): boolean {
  return (
    type === "response.output_audio.delta" ||
    type === "response.output_audio_transcript.delta" ||
    type === "response.output_text.delta" ||
    type === "response.function_call_arguments.delta" ||
    type === "conversation.item.input_audio_transcription.delta"
  );
}

function partKey(of: string, item: string | undefined, contentIndex: number | undefined): string {
  return `${of}|${item ?? ""}|${contentIndex ?? ""}`;
}
