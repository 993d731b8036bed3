import { z } from "zod";

const toolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, {
  error: "a tool name is 1–64 letters, digits, underscores or dashes",
});

/**
 * How much of the voice conversation the text model sees: the last N turns (a turn is a user message and what
 * followed it), `"all"`, `"none"`, or `"summary"` (earlier turns condensed to one line each, the last two verbatim).
 */
export const delegateHistorySchema = z.union([
  z.int().min(0).max(1000),
  z.enum(["all", "none", "summary"]),
]);

/** What the text model answers: free text the voice model reads, or JSON matching a schema. */
export const delegateOutputSchema = z.union([
  z.literal("text"),
  z.strictObject({
    schema: z
      .record(z.string(), z.unknown())
      .meta({ description: "JSON Schema of the answer (type: object)." }),
    name: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/)
      .optional()
      .meta({ description: "The schema's name (default: the tool's name)." }),
  }),
]);

/** The text model a delegate tool calls through the Responses API, and what it may see and do. */
export const delegateSpecSchema = z.strictObject({
  model: z.string().min(1).meta({ description: "Text model of the Responses API (gpt-5.4, …)." }),
  instructions: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Its instructions: a template with {{variables}}, like the agent's." }),
  tools: z
    .array(toolName)
    .optional()
    .meta({ description: "Names of the agent's tools the text model may call." }),
  mcp: z
    .array(z.string().min(1))
    .optional()
    .meta({ description: "Labels of the agent's remote MCP servers the text model may use." }),
  private: z.boolean().optional().meta({
    description: "The listed tools are the text model's only: the voice model does not see them.",
  }),
  history: delegateHistorySchema.optional().meta({
    description: 'Conversation it sees: last N turns, "all", "none" or "summary" (default 6).',
  }),
  output: delegateOutputSchema
    .optional()
    .meta({ description: '"text" (default) or { schema } for a JSON answer.' }),
  mode: z.enum(["sync", "async"]).optional().meta({
    description: "sync: the voice model waits; async: the answer comes later as its own reply.",
  }),
  maxSteps: z
    .int()
    .min(1)
    .max(32)
    .optional()
    .meta({ description: "Text-model requests at most (each may call tools; default 8)." }),
  reasoning: z
    .strictObject({ effort: z.enum(["minimal", "low", "medium", "high", "xhigh"]) })
    .optional(),
});

export type DelegateSpecConfig = z.output<typeof delegateSpecSchema>;
export type DelegateHistory = z.output<typeof delegateHistorySchema>;
export type DelegateOutput = z.output<typeof delegateOutputSchema>;
