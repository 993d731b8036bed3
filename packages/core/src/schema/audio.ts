import { z } from "zod";
import { durationSchema } from "./duration.ts";

/** pcm16 is 24 kHz mono little-endian; the G.711 formats are 8 kHz telephony audio. */
export const AUDIO_FORMATS = ["pcm16", "g711_ulaw", "g711_alaw"] as const;
const audioFormat = z.enum(AUDIO_FORMATS);

const transcriptionSchema = z.strictObject({
  model: z.string().min(1).optional().meta({ description: "e.g. gpt-4o-transcribe, whisper-1." }),
  language: z.string().min(2).optional().meta({ description: "ISO-639-1 code, e.g. en." }),
  prompt: z.string().optional().meta({ description: "Words and names to help the transcriber." }),
  logprobs: z.boolean().optional().meta({
    description:
      "Include the transcription's logprobs in server events (include: item.input_audio_transcription.logprobs).",
  }),
});

const serverVadSchema = z.strictObject({
  type: z.literal("server_vad"),
  threshold: z.number().min(0).max(1).optional(),
  prefixPadding: durationSchema.optional(),
  silenceDuration: durationSchema.optional(),
  idleTimeout: durationSchema
    .refine((ms) => ms >= 5000 && ms <= 30_000, { error: "the idle timeout is between 5s and 30s" })
    .optional()
    .meta({ description: "Prompt the model after this long without speech (5s–30s)." }),
  createResponse: z.boolean().optional(),
  interruptResponse: z.boolean().optional(),
});

const semanticVadSchema = z.strictObject({
  type: z.literal("semantic_vad"),
  eagerness: z.enum(["low", "medium", "high", "auto"]).optional(),
  createResponse: z.boolean().optional(),
  interruptResponse: z.boolean().optional(),
});

/** `server_vad` (silence based) or `semantic_vad` (meaning based); `false` turns detection off (push-to-talk). */
export const turnDetectionSchema = z.union([
  z.literal(false),
  z.discriminatedUnion("type", [serverVadSchema, semanticVadSchema]),
]);

export const audioSchema = z.strictObject({
  input: z
    .strictObject({
      format: audioFormat.optional(),
      transcription: z.union([z.literal(false), transcriptionSchema]).optional(),
      noiseReduction: z.enum(["near_field", "far_field", "off"]).optional(),
      turnDetection: turnDetectionSchema.optional(),
    })
    .optional(),
  output: z
    .strictObject({
      format: audioFormat.optional(),
    })
    .optional(),
});

export type AudioConfig = z.output<typeof audioSchema>;
