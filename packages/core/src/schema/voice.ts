import { z } from "zod";

/** Voices the Realtime API offers (`marin` and `cedar` sound best with gpt-realtime). */
export const VOICES = [
  "alloy",
  "ash",
  "ballad",
  "cedar",
  "coral",
  "echo",
  "marin",
  "sage",
  "shimmer",
  "verse",
] as const;

export type VoiceName = (typeof VOICES)[number];

const voiceName = z.enum(VOICES);

/** `voice: marin` or `voice: { name: marin, speed: 1.1 }`. Speed is 0.25–1.5 (1 is normal). */
export const voiceSchema = z.union([
  voiceName,
  z.strictObject({
    name: voiceName,
    speed: z.number().min(0.25).max(1.5).optional().meta({ description: "0.25–1.5, 1 is normal." }),
  }),
]);
