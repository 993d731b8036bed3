import type { AudioFormat } from "./audio/formats.ts";
import { speechDurationMs, voiceChunk } from "./audio/voice.ts";
import type { ResponseHost } from "./response-host.ts";
import { modelAudioTokens, type TokenCounts, textTokens } from "./tokens.ts";

type Json = Record<string, unknown>;

/** What one response streams into: its id, output list, whether it joins the conversation, and cancellation. */
export interface OutputTarget {
  host: ResponseHost;
  responseId: string;
  outOfBand: boolean;
  output: Json[];
  outputTokens: TokenCounts;
  signal: AbortSignal;
  /** Audio output and its format, or text only. */
  audio: { format: AudioFormat; speed: number } | undefined;
}

const AUDIO_CHUNK_MS = 100;
const TEXT_WORD_MS = 15;

/** Adds an output item: response.output_item.added, and for in-conversation responses conversation.item.added. */
export function openItem(t: OutputTarget, item: Json): number {
  const outputIndex = t.output.length;
  t.output.push(item);
  t.host.send({
    type: "response.output_item.added",
    response_id: t.responseId,
    output_index: outputIndex,
    item: { ...item },
  });
  if (!t.outOfBand) {
    const placed = t.host.conversation.insert({ item: item as never, responseId: t.responseId });
    t.host.send({
      type: "conversation.item.added",
      previous_item_id: placed?.previousItemId ?? null,
      item: { ...item },
    });
  }
  return outputIndex;
}

/**
 * Closes an output item: conversation.item.done (for in-conversation responses), then response.output_item.done —
 * the order the API sends them in (recorded live).
 */
export function closeItem(t: OutputTarget, outputIndex: number, item: Json): void {
  t.output[outputIndex] = item;
  if (!t.outOfBand) {
    const stored = t.host.conversation.get(item.id as string);
    if (stored) t.host.conversation.update(stored, { item: item as never });
    t.host.send({
      type: "conversation.item.done",
      previous_item_id: t.host.conversation.previousId(item.id as string),
      item: { ...item },
    });
  }
  t.host.send({
    type: "response.output_item.done",
    response_id: t.responseId,
    output_index: outputIndex,
    item: { ...item },
  });
}

/**
 * Streams an assistant message: audio deltas at the voice's real-time schedule (scaled by pace) with the
 * transcript spread over them, or text deltas word by word. Stops early, marking the item incomplete, when cancelled.
 */
export async function streamMessage(t: OutputTarget, text: string): Promise<void> {
  const { host } = t;
  const id = host.ids.next("item");
  const base = { id, object: "realtime.item", type: "message", role: "assistant" };
  const index = openItem(t, { ...base, status: "in_progress", content: [] });
  const ref = { response_id: t.responseId, item_id: id, output_index: index, content_index: 0 };
  const words = text.split(/(?<=\s)/).filter((w) => w !== "");
  let spoken = "";
  if (t.audio) {
    host.send({
      type: "response.content_part.added",
      ...ref,
      part: { type: "audio", transcript: "" },
    });
    const totalMs = speechDurationMs(text, t.audio.speed);
    const start = host.now();
    let sentMs = 0;
    // The stored item follows the stream, so a truncate that arrives with (or right after) a cancel finds the
    // audio and transcript sent so far.
    const stored = host.conversation.get(id);
    const track = () => {
      // After a truncate the item keeps the cut: later chunks still go to the client, not into the conversation.
      if (!stored || stored.truncated) return;
      host.conversation.update(stored, {
        audioMs: sentMs,
        heard: spoken,
        item: {
          ...base,
          status: "in_progress",
          content: [{ type: "output_audio", transcript: spoken }],
        } as never,
      });
    };
    let wordIndex = 0;
    while (sentMs < totalMs && !t.signal.aborted) {
      const ms = Math.min(AUDIO_CHUNK_MS, totalMs - sentMs);
      // Words whose share of the utterance has started are spoken with this chunk.
      const dueWords = Math.ceil(((sentMs + ms) / totalMs) * words.length);
      while (wordIndex < dueWords && wordIndex < words.length) {
        const delta = words[wordIndex++] as string;
        spoken += delta;
        host.send({ type: "response.output_audio_transcript.delta", ...ref, delta });
      }
      host.send({
        type: "response.output_audio.delta",
        ...ref,
        delta: voiceChunk(t.audio.format, sentMs, ms),
      });
      host.audioProduced();
      sentMs += ms;
      track();
      await host.sleepUntil(start + sentMs * host.audioScale, t.signal);
      await host.writable(t.signal);
    }
    const complete = !t.signal.aborted;
    const transcript = complete ? text : spoken;
    host.send({ type: "response.output_audio.done", ...ref });
    host.send({ type: "response.output_audio_transcript.done", ...ref, transcript });
    host.send({ type: "response.content_part.done", ...ref, part: { type: "audio", transcript } });
    // A truncate during the stream (the user interrupted) decides what the item keeps.
    // The API removes the transcript of a truncated item from the conversation.
    const kept = stored?.truncated ? "" : transcript;
    if (stored && !stored.truncated)
      host.conversation.update(stored, { audioMs: sentMs, heard: transcript });
    t.outputTokens.text += textTokens(transcript);
    t.outputTokens.audio += modelAudioTokens(sentMs);
    closeItem(t, index, {
      ...base,
      status: complete ? "completed" : "incomplete",
      content: [{ type: "output_audio", transcript: kept }],
    });
    return;
  }
  host.send({ type: "response.content_part.added", ...ref, part: { type: "text", text: "" } });
  const start = host.now();
  for (let i = 0; i < words.length && !t.signal.aborted; i++) {
    const delta = words[i] as string;
    spoken += delta;
    host.send({ type: "response.output_text.delta", ...ref, delta });
    await host.sleepUntil(start + (i + 1) * TEXT_WORD_MS * host.pace, t.signal);
    await host.writable(t.signal);
  }
  const complete = !t.signal.aborted;
  const final = complete ? text : spoken;
  host.send({ type: "response.output_text.done", ...ref, text: final });
  host.send({ type: "response.content_part.done", ...ref, part: { type: "text", text: final } });
  const stored = host.conversation.get(id);
  if (stored) host.conversation.update(stored, { heard: final });
  t.outputTokens.text += textTokens(final);
  closeItem(t, index, {
    ...base,
    status: complete ? "completed" : "incomplete",
    content: [{ type: "output_text", text: final }],
  });
}

/** Streams a function call: its arguments in a few deltas, then the completed item (with call_id and name). */
export async function streamFunctionCall(
  t: OutputTarget,
  name: string,
  args: string,
): Promise<void> {
  const { host } = t;
  const id = host.ids.next("item");
  const callId = host.ids.next("call");
  const base = { id, object: "realtime.item", type: "function_call", call_id: callId, name };
  const index = openItem(t, { ...base, status: "in_progress", arguments: "" });
  for (const delta of split(args, 3)) {
    if (t.signal.aborted) break;
    host.send({
      type: "response.function_call_arguments.delta",
      response_id: t.responseId,
      item_id: id,
      output_index: index,
      call_id: callId,
      delta,
    });
  }
  host.send({
    type: "response.function_call_arguments.done",
    response_id: t.responseId,
    item_id: id,
    output_index: index,
    call_id: callId,
    name,
    arguments: args,
  });
  t.outputTokens.text += textTokens(name) + textTokens(args);
  closeItem(t, index, { ...base, status: "completed", arguments: args });
}

/** Splits a string into at most `n` non-empty pieces of similar length. */
export function split(text: string, n: number): string[] {
  if (!text) return [];
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
