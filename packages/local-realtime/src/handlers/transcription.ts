import type { Connection } from "../connection.ts";
import { textTokens, userAudioTokens } from "../tokens.ts";

/**
 * The input transcription events for one audio content part (when `audio.input.transcription` is set): a delta
 * with the carried text, then `completed` with token usage; the stored item's part gets the transcript, so
 * conversation.item.retrieve shows it.
 */
export function sendTranscription(
  c: Connection,
  itemId: string,
  contentIndex: number,
  transcript: string,
  ms: number,
): void {
  const fail = c.faults().failTranscription;
  if (fail) {
    const error = typeof fail === "object" ? fail : {};
    c.send({
      type: "conversation.item.input_audio_transcription.failed",
      item_id: itemId,
      content_index: contentIndex,
      error: {
        type: "transcription_error",
        code: error.code ?? "transcription_failed",
        message: error.message ?? "Injected fault (local-realtime faults.failTranscription).",
        param: null,
      },
    });
    return;
  }
  if (transcript) {
    c.send({
      type: "conversation.item.input_audio_transcription.delta",
      item_id: itemId,
      content_index: contentIndex,
      delta: transcript,
    });
  }
  const input = userAudioTokens(ms);
  const output = textTokens(transcript);
  c.send({
    type: "conversation.item.input_audio_transcription.completed",
    item_id: itemId,
    content_index: contentIndex,
    transcript,
    usage: {
      type: "tokens",
      input_tokens: input,
      // The Agents SDK rejects a completed transcription without these details.
      input_token_details: { text_tokens: 0, audio_tokens: input },
      output_tokens: output,
      total_tokens: input + output,
    },
  });
  const stored = c.conversation.get(itemId);
  if (stored?.item.type !== "message") return;
  const content = stored.item.content.map((part, i) =>
    i === contentIndex ? { ...part, transcript } : part,
  );
  c.conversation.update(stored, { item: { ...stored.item, content } as typeof stored.item });
}
