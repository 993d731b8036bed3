import { z } from "zod";
import { approvalPolicySchema } from "./approval.ts";
import { audioSchema } from "./audio.ts";
import { durationSchema } from "./duration.ts";
import { fillerSchema } from "./filler.ts";
import { mcpServerSchema } from "./mcp.ts";
import { reconnectSchema } from "./reconnect.ts";
import { toolEntrySchema } from "./tools.ts";
import { voiceSchema } from "./voice.ts";

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const personaSchema = z.strictObject({
  role: z.string().min(1).optional().meta({ description: "Who the agent is." }),
  tone: z.string().min(1).optional().meta({ description: "How it sounds (warm, brisk, …)." }),
  language: z.string().min(1).optional().meta({ description: "The language it speaks." }),
  accent: z.string().min(1).optional(),
  style: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .meta({ description: "Style notes, one per line." }),
});

const limitsSchema = z.strictObject({
  maxOutputTokens: z.union([z.int().min(1).max(4096), z.literal("inf")]).optional(),
  truncation: z
    .union([
      z.enum(["auto", "disabled"]),
      z.strictObject({
        retentionRatio: z.number().min(0).max(1),
        postInstructionsTokens: z.int().min(0).optional(),
      }),
    ])
    .optional(),
  maxSessionLength: durationSchema
    .optional()
    .meta({ description: "End the session after this long." }),
  costBudgetUsd: z
    .number()
    .positive()
    .optional()
    .meta({ description: "End the session past this spend." }),
});

const handoffSchema = z.union([
  z.string().min(1),
  z.strictObject({
    agent: z.string().min(1).meta({ description: "Path of the other agent file." }),
    description: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "When to hand off (the model reads it)." }),
  }),
]);

/**
 * The agent file, v1: the one source of truth for types, validation, the editor JSON Schema and the docs.
 * Keys are camelCase; values that go to the API keep the API's spelling (`server_vad`, `near_field`).
 */
export const agentSchema = z.strictObject({
  name: z
    .string()
    // No `i` flag: JSON Schema patterns have no flags, and editors must accept what validate accepts (one rule).
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
      error: "a name is letters, digits, - and _ (up to 64)",
    })
    .meta({ description: "The agent's id." }),
  description: z.string().optional(),
  extends: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .meta({ description: "Base file(s) merged under this one." }),
  model: z
    .string()
    .min(1)
    .default("gpt-realtime")
    .meta({ description: "Realtime model (default gpt-realtime)." }),
  voice: voiceSchema.optional(),
  persona: personaSchema.optional(),
  instructions: z
    .string()
    .optional()
    .meta({ description: "Template with {{variables}} and {{persona.*}}." }),
  variables: z
    .record(
      z.string().regex(/^[A-Za-z_][\w]*$/, { error: "a variable name is letters, digits and _" }),
      scalar.nullable(),
    )
    .optional()
    .meta({ description: "Defaults (null = must be given when a session starts)." }),
  greeting: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "What the agent says first (a template)." }),
  output: z.enum(["audio", "text"]).default("audio"),
  audio: audioSchema.optional(),
  tools: z.array(toolEntrySchema).optional(),
  toolChoice: z.enum(["auto", "none", "required"]).optional(),
  mcp: z.array(mcpServerSchema).optional(),
  approval: approvalPolicySchema.optional(),
  filler: z.union([z.literal(false), fillerSchema]).optional(),
  limits: limitsSchema.optional(),
  reconnect: reconnectSchema.optional(),
  prompt: z
    .strictObject({
      id: z.string().min(1),
      version: z.string().optional(),
      variables: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  reasoning: z
    .strictObject({ effort: z.enum(["minimal", "low", "medium", "high", "xhigh"]) })
    .optional(),
  parallelToolCalls: z.boolean().optional().meta({
    description:
      "Whether the model may call several tools at once (reasoning models: gpt-realtime-2 and later).",
  }),
  tracing: z
    .union([
      z.literal("auto"),
      z.literal(false),
      z.strictObject({
        workflowName: z.string().optional(),
        groupId: z.string().optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
      }),
    ])
    .optional(),
  handoffs: z.array(handoffSchema).optional(),
  apiBase: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description:
        "API base of this agent's sessions (per region, e.g. https://eu.api.openai.com/v1): Realtime, client secrets, SIP accept, delegations.",
    }),
  metadata: z.record(z.string(), scalar).optional(),
});

/** A validated agent file (durations in ms, defaults applied). */
export type AgentConfig = z.output<typeof agentSchema>;
/** An agent file as written (what `defineAgent` accepts). */
export type AgentConfigInput = z.input<typeof agentSchema>;
