import { z } from "zod";
import { approvalSchema } from "./approval.ts";
import { delegateSpecSchema } from "./delegate.ts";
import { durationSchema } from "./duration.ts";
import { toolFillerSchema } from "./filler.ts";

/** Function names the Realtime API accepts. */
export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const toolName = z.string().regex(TOOL_NAME, {
  error: "a tool name is 1–64 letters, digits, underscores or dashes",
});

/**
 * One user utterance and the arguments it should produce: documentation, a hint to the model (compiled into the
 * tool description) and a test oracle.
 *
 * @example
 * toolExampleSchema.parse({ say: "a room for two nights", args: { nights: 2 } })
 */
export const toolExampleSchema = z.strictObject({
  say: z.string().min(1).meta({ description: "What the user says." }),
  args: z
    .record(z.string(), z.unknown())
    .meta({ description: "The arguments the call should carry." }),
});

/** A JSON Schema object for function parameters (checked in depth by the loader with ajv). */
export const parametersSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: "JSON Schema of the arguments (type: object)." });

/** Overrides that apply to a tool wherever it comes from. */
const toolBehaviour = {
  timeout: durationSchema
    .optional()
    .meta({ description: "Give up after this long (default 30s)." }),
  filler: toolFillerSchema.optional(),
  approval: approvalSchema.optional(),
};

/**
 * An inline function tool. `handler: ./file.ts#exportName` points at a `defineTool(...)` value (name, description
 * and parameters may then come from it) or a plain function `(args, ctx) => result`.
 */
export const inlineToolSchema = z.strictObject({
  name: toolName.optional(),
  description: z.string().min(1).optional(),
  parameters: parametersSchema.optional(),
  handler: z
    .string()
    .regex(/^[^#]+(#[A-Za-z_$][\w$]*)?$/, { error: 'expected "./file.ts#exportName"' })
    .optional()
    .meta({
      description:
        'The code that runs the tool: "./file.ts#exportName" (default export without #).',
    }),
  ...toolBehaviour,
  concurrency: z.int().min(1).optional().meta({ description: "Calls allowed to run at once." }),
  onInterrupt: z.enum(["continue", "cancel"]).optional(),
  duplicate: z.enum(["allow", "reject", "replace"]).optional(),
  examples: z.array(toolExampleSchema).optional(),
  // A `delegate:` entry is a delegateToolSchema: saying so here makes a broken one report its own problems
  // (zod prefers a branch whose only issue is an unknown key).
  delegate: z.never().optional(),
});

/** Per-tool overrides of a pack's tool. */
export const packToolOverrideSchema = z.strictObject({
  description: z.string().min(1).optional(),
  ...toolBehaviour,
  examples: z.array(toolExampleSchema).optional(),
});

/** `use:` a tool pack by package name or relative path, picking and renaming its tools. */
export const packUseSchema = z.strictObject({
  use: z
    .string()
    .min(1)
    .meta({ description: 'A pack: package name ("@parley/tools/clock") or "./path".' }),
  options: z
    .unknown()
    .optional()
    .meta({ description: "Settings the pack takes (checked by the pack)." }),
  only: z.array(z.string()).optional().meta({ description: "Keep only these tools." }),
  except: z.array(z.string()).optional().meta({ description: "Drop these tools." }),
  rename: z
    .record(z.string(), toolName)
    .optional()
    .meta({ description: "Pack name → name the model sees." }),
  overrides: z.record(z.string(), packToolOverrideSchema).optional().meta({
    description: "Per-tool filler, approval, timeout, description (by the pack's tool name).",
  }),
});

/**
 * A tool whose handler is a text model (the Responses API): `delegate:` says which model, with which of the
 * agent's tools and how much history; the rest is a function tool's (default parameters: one `question` string).
 *
 * @example
 * delegateToolSchema.parse({ name: "billing_expert", description: "Billing disputes", delegate: { model: "gpt-5.4", tools: ["lookup_invoice"] } })
 */
export const delegateToolSchema = z.strictObject({
  name: toolName,
  description: z.string().min(1),
  parameters: parametersSchema.optional(),
  delegate: delegateSpecSchema,
  ...toolBehaviour,
  onInterrupt: z.enum(["continue", "cancel"]).optional(),
  examples: z.array(toolExampleSchema).optional(),
});

export const toolEntrySchema = z.union([packUseSchema, delegateToolSchema, inlineToolSchema]);

export type InlineToolConfig = z.output<typeof inlineToolSchema>;
export type DelegateToolConfig = z.output<typeof delegateToolSchema>;
export type PackUseConfig = z.output<typeof packUseSchema>;
export type ToolEntryConfig = z.output<typeof toolEntrySchema>;
