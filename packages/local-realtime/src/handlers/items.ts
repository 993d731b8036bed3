import { asAudioFormat, durationMs } from "../audio/formats.ts";
import { carriedTexts } from "../audio/transcripts.ts";
import type { Connection } from "../connection.ts";
import type { StoredItem } from "../conversation.ts";
import { textOf } from "../model-view.ts";
import { sessionView } from "../session-state.ts";
import { sendTranscription } from "./transcription.ts";

type Json = Record<string, unknown>;

/** conversation.item.create / retrieve / delete / truncate. */
export function handleItemEvent(c: Connection, event: Json, eventId: string | undefined): void {
  switch (event.type) {
    case "conversation.item.create":
      createItem(
        c,
        event.item as Json,
        event.previous_item_id as string | null | undefined,
        eventId,
      );
      return;
    case "conversation.item.retrieve": {
      const stored = c.conversation.get(String(event.item_id));
      if (!stored) {
        notFound(c, "retrieve", String(event.item_id), eventId);
        return;
      }
      c.send({ type: "conversation.item.retrieved", item: stored.item });
      return;
    }
    case "conversation.item.delete": {
      const id = String(event.item_id);
      if (!c.conversation.delete(id)) {
        notFound(c, "delete", id, eventId);
        return;
      }
      c.send({ type: "conversation.item.deleted", item_id: id });
      return;
    }
    case "conversation.item.truncate":
      truncate(
        c,
        String(event.item_id),
        Number(event.content_index),
        Number(event.audio_end_ms),
        eventId,
      );
      return;
  }
}

const OPERATION_WORD = {
  retrieve: "retrieving",
  delete: "deleting",
  truncate: "truncating",
} as const;

/**
 * An unknown `item_id`: each operation has its own code (`item_delete_invalid_item_id`, recorded with this message
 * and `param: null`; clients treat the truncate one as a benign race with a finished response).
 */
function notFound(
  c: Connection,
  operation: keyof typeof OPERATION_WORD,
  id: string,
  eventId: string | undefined,
): void {
  c.error(
    `item_${operation}_invalid_item_id`,
    `Error ${OPERATION_WORD[operation]} item: the item with id '${id}' does not exist.`,
    { eventId },
  );
}

/** Adds a client item; user audio content is measured and its carried transcript read. */
export function createItem(
  c: Connection,
  raw: Json,
  previous: string | null | undefined,
  eventId: string | undefined,
): void {
  if (
    previous !== undefined &&
    previous !== null &&
    previous !== "root" &&
    !c.conversation.has(previous)
  ) {
    c.error(
      "item_not_found",
      `previous_item_id '${previous}' does not exist in the conversation.`,
      { param: "previous_item_id", eventId },
    );
    return;
  }
  if (typeof raw.id === "string" && c.conversation.has(raw.id)) {
    c.error(
      "item_already_exists",
      `An item with id '${raw.id}' already exists in the conversation.`,
      { param: "item.id", eventId },
    );
    return;
  }
  if (raw.type === "function_call_output" && !c.conversation.hasCall(String(raw.call_id))) {
    c.error(
      "invalid_value",
      `No function_call with call_id '${String(raw.call_id)}' found in the conversation.`,
      { param: "item.call_id", eventId },
    );
    return;
  }
  const item = {
    ...raw,
    id: typeof raw.id === "string" ? raw.id : c.ids.next("item"),
    object: "realtime.item",
    status: "completed",
  } as Json;
  if (
    item.type === "mcp_approval_response" ||
    item.type === "mcp_approval_request" ||
    item.type === "mcp_call" ||
    item.type === "mcp_list_tools"
  ) {
    delete item.object;
    delete item.status;
  }
  let heard: string | undefined;
  let audioMs: number | undefined;
  const transcripts: Array<{ index: number; transcript: string; ms: number }> = [];
  if (item.type === "message" && Array.isArray(item.content)) {
    const format = asAudioFormat(sessionView.inputFormat(c.session()));
    (item.content as Json[]).forEach((part, index) => {
      if (part.type !== "input_audio" || typeof part.audio !== "string") return;
      const bytes = Buffer.from(part.audio, "base64");
      audioMs = (audioMs ?? 0) + durationMs(format, bytes.length);
      const carried = carriedTexts(bytes, format).join(" ");
      if (carried) heard = `${heard ? `${heard} ` : ""}${carried}`;
      transcripts.push({ index, transcript: carried, ms: durationMs(format, bytes.length) });
    });
    heard = [textOf(item as never), heard].filter(Boolean).join(" ") || undefined;
  }
  const stored: StoredItem = { item: item as unknown as StoredItem["item"], heard, audioMs };
  const placed = c.conversation.insert(stored, previous);
  const previousItemId = placed?.previousItemId ?? null;
  c.send({ type: "conversation.item.added", previous_item_id: previousItemId, item });
  c.send({ type: "conversation.item.done", previous_item_id: previousItemId, item });
  // With transcription on, client-created audio is transcribed too (from the text it carries).
  if (sessionView.transcription(c.session())) {
    for (const t of transcripts)
      sendTranscription(c, item.id as string, t.index, t.transcript, t.ms);
  }
}

/**
 * Truncates an assistant message's audio to what the user heard. Like the API, the server-side transcript is removed
 * (so no text the user did not hear stays in the context); the model still "hears" the share of the text
 * proportional to `audio_end_ms`, the simulator's stand-in for the audio it keeps.
 */
function truncate(
  c: Connection,
  id: string,
  contentIndex: number,
  audioEndMs: number,
  eventId: string | undefined,
): void {
  const stored = c.conversation.get(id);
  if (!stored) {
    notFound(c, "truncate", id, eventId);
    return;
  }
  const item = stored.item as unknown as Json;
  const content = (item.content as Json[] | undefined) ?? [];
  const part = content[contentIndex];
  const total = stored.audioMs ?? 0;
  // The API's words: a user item, a text answer, or an answer whose audio has not started yet.
  if (
    item.type !== "message" ||
    item.role !== "assistant" ||
    !part ||
    part.type !== "output_audio" ||
    total <= 0
  ) {
    c.error("unsupported_content_type", "Only model output audio messages can be truncated", {
      eventId,
    });
    return;
  }
  if (audioEndMs > total) {
    // The API refuses a cut past the end, then truncates at the audio's real end anyway (observed).
    c.error(
      "invalid_value",
      `Audio content of ${Math.round(total)}ms is already shorter than ${audioEndMs}ms`,
      { param: "audio_end_ms", eventId },
    );
    audioEndMs = total;
  }
  const transcript = String(part.transcript ?? "");
  const kept =
    total > 0 ? transcript.slice(0, Math.round((transcript.length * audioEndMs) / total)) : "";
  const nextContent = content.map((p, i) => (i === contentIndex ? { ...p, transcript: "" } : p));
  c.conversation.update(stored, {
    item: { ...item, content: nextContent } as unknown as StoredItem["item"],
    audioMs: audioEndMs,
    heard: kept,
    truncated: true,
  });
  c.send({
    type: "conversation.item.truncated",
    item_id: id,
    content_index: contentIndex,
    audio_end_ms: audioEndMs,
  });
}
