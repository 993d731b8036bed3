import type { VadEvent } from "../audio/vad.ts";
import type { Connection } from "../connection.ts";
import type { StoredItem } from "../conversation.ts";
import { sessionView } from "../session-state.ts";
import { textTokens, userAudioTokens } from "../tokens.ts";

type Json = Record<string, unknown>;

/** The user item id announced by speech_started, used when that speech is committed. */
const speechItem = new WeakMap<Connection, string>();

/** input_audio_buffer.append / commit / clear, and what server VAD makes of appended audio. */
export function handleAudioEvent(c: Connection, event: Json, eventId: string | undefined): void {
  switch (event.type) {
    case "input_audio_buffer.append":
      for (const vad of c.audio.append(String(event.audio))) onVad(c, vad);
      return;
    case "input_audio_buffer.commit":
      if (c.audio.bufferedMs < 100) {
        return c.error(
          "input_audio_buffer_commit_empty",
          `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${c.audio.bufferedMs.toFixed(2)}ms of audio.`,
          { eventId },
        );
      }
      commit(c, false);
      return;
    case "input_audio_buffer.clear":
      c.audio.clear();
      speechItem.delete(c);
      c.send({ type: "input_audio_buffer.cleared" });
      return;
  }
}

function onVad(c: Connection, vad: VadEvent): void {
  const td = sessionView.turnDetection(c.session());
  if (vad.type === "start") {
    const itemId = c.ids.next("item");
    speechItem.set(c, itemId);
    c.send({ type: "input_audio_buffer.speech_started", audio_start_ms: vad.ms, item_id: itemId });
    // The user talks over the model: with interrupt_response the server cancels the response itself.
    if (td?.interrupt_response !== false && c.active) c.active.cancel("turn_detected");
    return;
  }
  const itemId = speechItem.get(c) ?? c.ids.next("item");
  c.send({ type: "input_audio_buffer.speech_stopped", audio_end_ms: vad.ms, item_id: itemId });
  commit(c, td?.create_response !== false);
}

/** Commits the buffer as a user audio item (+ transcription events) and, with VAD's create_response, answers. */
function commit(c: Connection, respond: boolean): void {
  const itemId = speechItem.get(c) ?? c.ids.next("item");
  speechItem.delete(c);
  const audio = c.audio.commit();
  const previous = c.conversation.lastId();
  c.send({ type: "input_audio_buffer.committed", previous_item_id: previous, item_id: itemId });
  const transcription = sessionView.transcription(c.session());
  const item = {
    id: itemId,
    object: "realtime.item",
    type: "message",
    status: "completed",
    role: "user",
    content: [{ type: "input_audio" }],
  } as Json;
  const stored: StoredItem = {
    item: item as unknown as StoredItem["item"],
    heard: audio.transcript,
    audioMs: audio.ms,
  };
  c.conversation.insert(stored);
  c.send({ type: "conversation.item.added", previous_item_id: previous, item });
  c.send({ type: "conversation.item.done", previous_item_id: previous, item });
  if (transcription) {
    const transcript = audio.transcript ?? "";
    if (transcript)
      c.send({
        type: "conversation.item.input_audio_transcription.delta",
        item_id: itemId,
        content_index: 0,
        delta: transcript,
      });
    c.send({
      type: "conversation.item.input_audio_transcription.completed",
      item_id: itemId,
      content_index: 0,
      transcript,
      usage: {
        type: "tokens",
        input_tokens: userAudioTokens(audio.ms),
        output_tokens: textTokens(transcript),
        total_tokens: userAudioTokens(audio.ms) + textTokens(transcript),
      },
    });
    stored.item = {
      ...item,
      content: [{ type: "input_audio", transcript }],
    } as unknown as StoredItem["item"];
  }
  if (respond && !c.active) c.createResponse({});
}
