// A session log's default for streamed parts (`chunks: "first"`): the first chunk of each part is written as any
// event, the later ones are counted, and one `log.chunks` line sums them up when the part ends. More than half of a
// log's lines were chunks (audio above all); this is what keeps logging cheap (issue 18).

import { streamTime } from "../log/redacted-json.ts";
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
  /** What the part is found by: its chunks' type (`of`), item and content index. */
  of: string;
  item: string | undefined;
  contentIndex: number | undefined;
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
  /** The parts open now: a handful at most (an answer's audio and transcript, the input audio), found by a scan. */
  readonly #open: Part[] = [];

  skipsFrame(event: Record<string, unknown>): boolean {
    const e = event as unknown as Chunk;
    const of = e.type;
    if (of === APPEND) return this.#find(APPEND, undefined, undefined) !== undefined;
    if (!isChunkType(of)) return false;
    return this.#find(of, e.item_id, e.content_index) !== undefined;
  }

  take(type: StreamEventType, payload: unknown, at: number, ended: Ended): boolean {
    switch (type) {
      case "server.event":
        return this.#server(payload as Chunk, at, ended);
      case "client.event": {
        const e = payload as Chunk;
        if (e.type === APPEND)
          return this.#chunk(
            APPEND,
            undefined,
            undefined,
            undefined,
            at,
            audioBytes(e.audio),
            undefined,
          );
        if (e.type === "input_audio_buffer.commit" || e.type === "input_audio_buffer.clear")
          this.#end(APPEND, undefined, undefined, ended, false);
        return false;
      }
      case "agent.audio": {
        const e = payload as { itemId: string; responseId: string; audio: Uint8Array };
        return this.#chunk(
          type,
          e.itemId,
          undefined,
          e.responseId,
          at,
          e.audio.byteLength,
          undefined,
        );
      }
      case "agent.transcript.delta":
      case "user.transcript.delta": {
        const e = payload as { itemId: string; responseId?: string; delta: string };
        return this.#chunk(type, e.itemId, undefined, e.responseId, at, 0, e.delta);
      }
      case "agent.audio.done":
        this.#end("agent.audio", (payload as { itemId: string }).itemId, undefined, ended, false);
        return false;
      case "agent.transcript.done":
        this.#end(
          "agent.transcript.delta",
          (payload as { itemId: string }).itemId,
          undefined,
          ended,
          true,
        );
        return false;
      case "user.transcript.done":
        this.#end(
          "user.transcript.delta",
          (payload as { itemId: string }).itemId,
          undefined,
          ended,
          true,
        );
        return false;
      case "closed":
        while (this.#open.length) this.#close(0, ended, false);
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
          of,
          e.item_id,
          e.content_index,
          e.response_id,
          at,
          audioBytes(e.delta),
          undefined,
        );
      case "response.output_audio_transcript.delta":
      case "response.output_text.delta":
      case "response.function_call_arguments.delta":
      case "conversation.item.input_audio_transcription.delta":
        return this.#chunk(of, e.item_id, e.content_index, e.response_id, at, 0, e.delta ?? "");
      // The `.done` of a text part carries the whole text: the summary need not.
      case "response.output_audio.done":
        this.#end("response.output_audio.delta", e.item_id, e.content_index, ended, true);
        return false;
      case "response.output_audio_transcript.done":
        this.#end(
          "response.output_audio_transcript.delta",
          e.item_id,
          e.content_index,
          ended,
          true,
        );
        return false;
      case "response.output_text.done":
        this.#end("response.output_text.delta", e.item_id, e.content_index, ended, true);
        return false;
      case "response.function_call_arguments.done":
        this.#end(
          "response.function_call_arguments.delta",
          e.item_id,
          e.content_index,
          ended,
          true,
        );
        return false;
      case "conversation.item.input_audio_transcription.completed":
      case "conversation.item.input_audio_transcription.failed":
        this.#end(
          "conversation.item.input_audio_transcription.delta",
          e.item_id,
          e.content_index,
          ended,
          of.endsWith(".completed"),
        );
        return false;
      case "response.done": {
        const id = (e as { response?: { id?: string } }).response?.id;
        if (id === undefined) return false;
        for (let i = this.#open.length - 1; i >= 0; i--)
          if ((this.#open[i] as Part).summary.response_id === id) this.#close(i, ended, false);
        return false;
      }
      // Server VAD commits (and clears) the input buffer itself: the client's appends run on between.
      case "input_audio_buffer.committed":
      case "input_audio_buffer.cleared":
        this.#end(APPEND, undefined, undefined, ended, false);
        return false;
      default:
        return false;
    }
  }

  #find(
    of: string,
    item: string | undefined,
    contentIndex: number | undefined,
  ): number | undefined {
    const open = this.#open;
    for (let i = 0; i < open.length; i++) {
      const part = open[i] as Part;
      if (part.of === of && part.item === item && part.contentIndex === contentIndex) return i;
    }
    return undefined;
  }

  /** Counts a chunk of a part already started (true), or starts the part (false: the chunk is written). */
  #chunk(
    of: string,
    item: string | undefined,
    contentIndex: number | undefined,
    response: string | undefined,
    at: number,
    bytes: number,
    text: string | undefined,
  ): boolean {
    const found = this.#find(of, item, contentIndex);
    if (found === undefined) {
      const summary: ChunkSummary = { of, count: 0, first_at: at, last_at: at, max_gap_ms: 0 };
      if (item !== undefined) summary.item_id = item;
      if (response !== undefined) summary.response_id = response;
      if (contentIndex !== undefined) summary.content_index = contentIndex;
      if (text === undefined) summary.bytes = 0;
      else summary.chars = 0;
      this.#open.push({
        of,
        item,
        contentIndex,
        summary,
        text: text === undefined ? undefined : "",
        prevAt: at,
      });
      return false;
    }
    const part = this.#open[found] as Part;
    const s = part.summary;
    if (s.count === 0) s.first_at = at;
    s.count++;
    s.last_at = at;
    // Rounded as the stream's times are (a difference of two is not), so that it prints as cheaply.
    if (at - part.prevAt > s.max_gap_ms) s.max_gap_ms = streamTime(at - part.prevAt);
    part.prevAt = at;
    if (text !== undefined) {
      s.chars = (s.chars as number) + text.length;
      part.text += text;
    } else s.bytes = (s.bytes as number) + bytes;
    return true;
  }

  #end(
    of: string,
    item: string | undefined,
    contentIndex: number | undefined,
    ended: Ended,
    done: boolean,
  ): void {
    const found = this.#find(of, item, contentIndex);
    if (found !== undefined) this.#close(found, ended, done);
  }

  /** Ends a part: its summary goes out if any chunk went unwritten (with their text unless its `.done` has it). */
  #close(index: number, ended: Ended, done: boolean): void {
    const [part] = this.#open.splice(index, 1) as [Part];
    if (!part.summary.count) return;
    if (!done && part.text) part.summary.text = part.text;
    ended(part.summary);
  }
}

function audioBytes(b64: unknown): number {
  return typeof b64 === "string" ? base64Length(b64) : 0;
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
