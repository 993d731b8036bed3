import type { ConversationItem } from "openai/resources/realtime/realtime";

/**
 * Token accounting of the simulator — a documented, stable formula, not a tokenizer:
 * - text: ceil(characters / 4) per piece of text (instructions, each message text, tool arguments/outputs, the tools' JSON);
 * - audio: ceil(ms / 100) for user audio, ceil(ms / 50) for model audio (in history and in output);
 * - images: 85 tokens for `detail: "low"`, 765 otherwise;
 * - cached: the previous in-conversation response's input, rounded down to a multiple of 64, counts as cached
 *   (the conversation is append-only, so it is a prefix). The API reports cache reads in 64-token steps well below
 *   1,024 tokens (recorded: 64 of 120, then 128 of 139); it also caches across sessions, which this does not.
 */
export interface TokenCounts {
  text: number;
  audio: number;
  image: number;
}

export const zeroCounts = (): TokenCounts => ({ text: 0, audio: 0, image: 0 });

export function textTokens(text: string | null | undefined): number {
  return text ? Math.ceil([...text].length / 4) : 0;
}

export function userAudioTokens(ms: number): number {
  return ms > 0 ? Math.ceil(ms / 100) : 0;
}

export function modelAudioTokens(ms: number): number {
  return ms > 0 ? Math.ceil(ms / 50) : 0;
}

export function imageTokens(detail: string | undefined): number {
  return detail === "low" ? 85 : 765;
}

/** Adds an item's tokens (as context for a response) to `counts`. `audioMs` is the item's audio duration. */
export function addItemTokens(counts: TokenCounts, item: ConversationItem, audioMs = 0): void {
  switch (item.type) {
    case "message":
      for (const part of item.content ?? []) {
        const p = part as {
          type: string;
          text?: string;
          transcript?: string | null;
          detail?: string;
        };
        if (p.type === "input_text" || p.type === "output_text") counts.text += textTokens(p.text);
        else if (p.type === "input_image") counts.image += imageTokens(p.detail);
        else if (p.type === "input_audio") counts.audio += userAudioTokens(audioMs);
        else if (p.type === "output_audio") counts.audio += modelAudioTokens(audioMs);
      }
      break;
    case "function_call":
      counts.text += textTokens(item.name) + textTokens(item.arguments);
      break;
    case "function_call_output":
      counts.text += textTokens(item.output);
      break;
    case "mcp_call":
      counts.text +=
        textTokens(item.name) + textTokens(item.arguments) + textTokens(item.output ?? "");
      break;
    case "mcp_list_tools":
      counts.text += textTokens(JSON.stringify(item.tools));
      break;
    default:
      counts.text += textTokens(JSON.stringify(item));
  }
}

/** The `usage` object of response.done. */
export function usageObject(input: TokenCounts, output: TokenCounts, cached: number) {
  const inputTotal = input.text + input.audio + input.image;
  const outputTotal = output.text + output.audio;
  const cachedText = Math.min(cached, input.text);
  const cachedAudio = Math.min(cached - cachedText, input.audio);
  return {
    total_tokens: inputTotal + outputTotal,
    input_tokens: inputTotal,
    output_tokens: outputTotal,
    input_token_details: {
      cached_tokens: cached,
      text_tokens: input.text,
      audio_tokens: input.audio,
      image_tokens: input.image,
      cached_tokens_details: {
        text_tokens: cachedText,
        audio_tokens: cachedAudio,
        image_tokens: cached - cachedText - cachedAudio,
      },
    },
    output_token_details: { text_tokens: output.text, audio_tokens: output.audio },
  };
}

/** Cached tokens for a response, given the previous in-conversation response's input total. */
export function cachedTokens(previousInput: number, currentInput: number): number {
  return Math.min(Math.floor(previousInput / 64) * 64, currentInput);
}
