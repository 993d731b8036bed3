import { z } from "zod";
import { durationSchema } from "./duration.ts";

/**
 * How a session of this agent survives a dropped connection and the API's hour cap (the agent file's `reconnect:`).
 * `startSession({ reconnect })` overrides each field; see docs/runtime.md ("Reconnect and restore").
 *
 * @example
 * reconnectSchema.parse({ announce: "Sorry, we got cut off. I'm back.", recycleAfter: "50m" })
 */
export const reconnectSchema = z.strictObject({
  announce: z.string().min(1).optional().meta({
    description:
      "What the agent says briefly when it resumes after a dropped connection (a template); silent when unset.",
  }),
  maxAttempts: z
    .int()
    .min(1)
    .max(50)
    .optional()
    .meta({ description: "Connection attempts per restore before giving up (default 5)." }),
  recycleAfter: z
    .union([durationSchema, z.literal(false)])
    .optional()
    .meta({
      description:
        "Replace the connection at a turn boundary after this long, before the API's cap (default 55m; false never).",
    }),
});

export type ReconnectConfig = z.output<typeof reconnectSchema>;
