import type { VadEvent } from "../audio/vad.ts";
import type { Connection } from "../connection.ts";
import type { StoredItem } from "../conversation.ts";
import { sessionView } from "../session-state.ts";
import { sendTranscription } from "./transcription.ts";
import { audioValueError } from "./values.ts";

type Json = Record<string, unknown>;

/** The user item id announced by speech_started, used when that speech is committed. */
const speechItem = new WeakMap<Connection, string>();

/** input_audio_buffer.append / commit / clear, and what server VAD makes of appended audio. */
export function handleAudioEvent(c: Connection, event: Json, eventId: string | undefined): void {
  switch (event.type) {
    case "input_audio_buffer.append": {
      const refused = audioValueError(String(event.audio), sessionView.inputFormat(c.session()));
      if (refused) {
        c.error(refused.code, refused.message, { param: refused.param, eventId });
        return;
      }
      for (const vad of c.audio.append(String(event.audio))) onVad(c, vad);
      checkIdle(c);
      return;
    }
    case "input_audio_buffer.commit":
      if (c.audio.bufferedMs < 100) {
        c.error(
          "input_audio_buffer_commit_empty",
          `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${c.audio.bufferedMs.toFixed(2)}ms of audio.`,
          { eventId },
        );
        return;
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
  c.idleSinceMs = vad.ms;
  commit(c, td?.create_response !== false);
}

/**
 * server_vad's `idle_timeout_ms`: when that much audio has arrived with no speech since the user or the model last
 * spoke, the server emits `timeout_triggered`, commits the buffer and answers. Idle time is measured on received
 * audio (the client streams silence while the line is quiet), which keeps it exact at any pace.
 */
function checkIdle(c: Connection): void {
  const td = sessionView.turnDetection(c.session());
  const timeout = td?.type === "server_vad" ? Number(td.idle_timeout_ms ?? 0) : 0;
  if (!timeout || c.audio.inSpeech || c.active || c.idleSinceMs === undefined) return;
  const now = c.audio.receivedMs;
  if (now - c.idleSinceMs < timeout) return;
  const itemId = c.ids.next("item");
  c.send({
    type: "input_audio_buffer.timeout_triggered",
    audio_start_ms: c.idleSinceMs,
    audio_end_ms: now,
    item_id: itemId,
  });
  c.idleSinceMs = undefined;
  speechItem.set(c, itemId);
  commit(c, true);
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
    content: [{ type: "input_audio", transcript: null }],
  } as Json;
  const stored: StoredItem = {
    item: item as unknown as StoredItem["item"],
    heard: audio.transcript,
    audioMs: audio.ms,
  };
  c.conversation.insert(stored);
  c.send({ type: "conversation.item.added", previous_item_id: previous, item });
  c.send({ type: "conversation.item.done", previous_item_id: previous, item });
  if (transcription) sendTranscription(c, itemId, 0, audio.transcript ?? "", audio.ms);
  if (respond) c.answerTurn();
}
