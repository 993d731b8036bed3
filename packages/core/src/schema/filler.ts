import { z } from "zod";
import { durationSchema } from "./duration.ts";

/**
 * What the agent says while a tool call is slow: agent-wide defaults under `filler:` and per tool.
 * Fixed `lines` are said in rotation (a map keyed by language code for per-language lines); `generate` lets the
 * model write the line instead (`true`, or an instruction string).
 *
 * @example
 * fillerSchema.parse({ after: "1s", every: "4s", max: 2, lines: ["One moment…"] })
 */
export const fillerSchema = z.strictObject({
  enabled: z.boolean().optional().meta({ description: "false turns fillers off." }),
  after: durationSchema
    .optional()
    .meta({ description: "Start after the call has run this long (default 1.5s)." }),
  every: durationSchema
    .optional()
    .meta({ description: "Repeat this often while the call is still running." }),
  max: z.int().min(0).optional().meta({ description: "At most this many fillers per call." }),
  lines: z
    .union([
      z.array(z.string().min(1)).min(1),
      z.record(z.string(), z.array(z.string().min(1)).min(1)),
    ])
    .optional()
    .meta({ description: "Fixed lines said in rotation, or a map from language code to lines." }),
  generate: z
    .union([z.boolean(), z.string().min(1)])
    .optional()
    .meta({ description: "Let the model write the line (true, or an instruction for it)." }),
  outOfBand: z.boolean().optional().meta({
    description: "Say fillers as out-of-band responses, outside the conversation (default true).",
  }),
});

/** A tool's `filler:`: options, or `false` to never fill for this tool. */
export const toolFillerSchema = z.union([z.literal(false), fillerSchema]);

export type FillerConfig = z.output<typeof fillerSchema>;
