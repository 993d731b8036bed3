import { durationSchema } from "@parley/core";
import { z } from "zod";

/**
 * The scenario file format (`*.test.yaml`). The zod schema is the source of truth: types come from it, the editor
 * schema comes from `z.toJSONSchema(scenarioFileSchema)` (see `agent schema --scenario`), docs/testing.md follows it.
 *
 * A step is a map with exactly one action key (`user`, `image`, `expect_tool`, `expect_output`, `expect_filler`, `approve`, `deny`,
 * `expect_say`, `expect_no_tool`, `fault`, `expect_mode`) plus that action's modifiers (`audio`, `args`, `within`, …).
 */

const toolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "a tool name: letters, digits, _ and -");
const within = durationSchema.describe(
  'Latency budget, from the end of the last user input ("2s", "800ms")',
);

export const userStepSchema = z.strictObject({
  user: z.string().min(1).describe("What the user says"),
  audio: z
    .boolean()
    .optional()
    .describe("Send it as speech (audio carrying this transcript) instead of text"),
});
export const imageStepSchema = z.strictObject({
  image: z
    .string()
    .min(1)
    .describe("Path of an image the user sends, relative to the scenario file"),
  text: z.string().optional().describe("Text sent with the image"),
});
export const expectToolStepSchema = z.strictObject({
  expect_tool: toolName.describe("The tool the agent must call next"),
  args: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Arguments the call must include (a partial match)"),
  within: within.optional(),
});
export const expectOutputStepSchema = z.strictObject({
  expect_output: toolName.describe("The next call of this tool ends, with this outcome"),
  output: z
    .unknown()
    .optional()
    .describe("What its output must contain (a partial match on the JSON result)"),
  state: z
    .enum(["completed", "failed", "timed_out", "cancelled", "rejected"])
    .optional()
    .describe("How the call must end (default completed)"),
});
export const expectDelegationStepSchema = z.strictObject({
  expect_delegation: toolName.describe(
    "The agent must call this delegate tool next (its text model then answers, calling tools of its own)",
  ),
  args: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Arguments the voice model's call must include (a partial match)"),
  calls: z
    .array(z.record(toolName, z.record(z.string(), z.unknown()).nullable()))
    .optional()
    .describe(
      "The text model's own tool calls, in order: `- tool: {partial args}` (null: any arguments)",
    ),
  answer: z
    .string()
    .min(1)
    .optional()
    .describe("The text model's answer must contain this (case-insensitive)"),
  reply: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Offline: the text model is scripted: it makes the `calls:` (with their arguments) and answers this. Without it the local server's rules model decides. Ignored with --live",
    ),
  within: within.optional(),
});
export const expectFillerStepSchema = z.strictObject({
  expect_filler: z
    .union([z.literal(true), z.string().min(1)])
    .describe("A filler must be said while a call runs; a string must appear in it"),
  within: within.optional(),
});
export const approveStepSchema = z.strictObject({
  approve: z
    .union([z.literal(true), toolName])
    .describe("Approve the pending approval request (of this tool)"),
});
export const denyStepSchema = z.strictObject({
  deny: z
    .union([z.literal(true), toolName])
    .describe("Deny the pending approval request (of this tool)"),
});
const sayMatch = z.union([
  z.string().min(1),
  z.strictObject({
    contains: z.string().min(1).optional(),
    regex: z.string().min(1).optional(),
  }),
]);
export const expectSayStepSchema = z.strictObject({
  expect_say: sayMatch.describe(
    "The agent's next answer contains this text (or matches `regex`, case-insensitive)",
  ),
  reply: z
    .string()
    .optional()
    .describe(
      "What the offline scripted model says here (defaults to the `contains` text); ignored with --live",
    ),
  within: within.optional(),
});
export const expectNoToolStepSchema = z.strictObject({
  expect_no_tool: z
    .union([z.literal(true), toolName])
    .describe("No tool call (or no call of this tool) until the turn ends"),
});

export const faultStepSchema = z.strictObject({
  fault: z
    .enum(["transcription", "none"])
    .describe(
      "Offline only: from this step on the local server's input transcriptions fail (`transcription`, the audio path has problems), or work again (`none`)",
    ),
});
export const expectModeStepSchema = z.strictObject({
  expect_mode: z
    .enum(["text", "audio"])
    .describe(
      "The session switches to this mode (text fallback: audio errors switch to text, working audio switches back)",
    ),
});

/** The action keys, in the order they are documented, each with its schema. */
export const stepSchemas = {
  user: userStepSchema,
  image: imageStepSchema,
  expect_tool: expectToolStepSchema,
  expect_output: expectOutputStepSchema,
  expect_delegation: expectDelegationStepSchema,
  expect_filler: expectFillerStepSchema,
  approve: approveStepSchema,
  deny: denyStepSchema,
  expect_say: expectSayStepSchema,
  expect_no_tool: expectNoToolStepSchema,
  fault: faultStepSchema,
  expect_mode: expectModeStepSchema,
} as const;
export type StepAction = keyof typeof stepSchemas;
export const stepActions = Object.keys(stepSchemas) as StepAction[];

export const stepSchema = z.union(Object.values(stepSchemas));

export const toolMockSchema = z
  .strictObject({
    output: z.unknown().optional().describe("What the tool returns (any JSON value)"),
    error: z.string().optional().describe("Make the call fail with this message"),
    latency: durationSchema.optional().describe('How long the call takes ("2s")'),
  })
  .describe("Replaces the tool's handler for this scenario");

/** One mock for every call, or a list: the first call gets the first, and so on; the last one answers any call after. */
export const toolMocksSchema = z
  .union([toolMockSchema, z.array(toolMockSchema).min(1)])
  .describe(
    "Replaces the tool's handler: one mock for every call, or a list used call by call (the last repeats)",
  );

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).optional(),
  mocks: z.record(z.string(), toolMocksSchema).optional(),
  steps: z.array(stepSchema).min(1),
});

export const scenarioFileSchema = z.strictObject({
  $schema: z.string().optional(),
  agent: z
    .string()
    .optional()
    .describe(
      "The agent file, relative to this file (default: the *.agent.* file whose name this file starts with)",
    ),
  env: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      "Environment for the agent file's `env:` placeholders, over the real environment (test tokens, local URLs)",
    ),
  variables: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Session variables for every scenario"),
  mocks: z.record(z.string(), toolMocksSchema).optional().describe("Tool mocks for every scenario"),
  scenarios: z.array(scenarioSchema).min(1),
});

export type UserStep = z.output<typeof userStepSchema>;
export type ToolMock = z.output<typeof toolMockSchema>;
/** A tool's mock, or its mocks call by call. */
export type ToolMocks = z.output<typeof toolMocksSchema>;
export type ScenarioFileInput = z.input<typeof scenarioFileSchema>;

/** One step, normalised: `kind` says which action; `location` is where it is written. */
export type Step =
  | { kind: "user"; text: string; audio: boolean }
  | { kind: "image"; path: string; text?: string }
  | { kind: "expect_tool"; name: string; args?: Record<string, unknown>; within?: number }
  | {
      kind: "expect_output";
      name: string;
      output?: unknown;
      state: "completed" | "failed" | "timed_out" | "cancelled" | "rejected";
    }
  | {
      kind: "expect_delegation";
      name: string;
      args?: Record<string, unknown>;
      calls: { tool: string; args?: Record<string, unknown> }[];
      answer?: string;
      reply?: string;
      within?: number;
    }
  | { kind: "expect_filler"; contains?: string; within?: number }
  | { kind: "approve" | "deny"; tool?: string }
  | { kind: "expect_say"; contains?: string; regex?: string; reply?: string; within?: number }
  | { kind: "expect_no_tool"; tool?: string }
  | { kind: "fault"; fault: "transcription" | "none" }
  | { kind: "expect_mode"; mode: "text" | "audio" };

export interface Located {
  /** Absolute path of the scenario file. */
  file: string;
  line: number;
  col: number;
}

export type LocatedStep = Step & { index: number; location: Located; label: string };

export interface Scenario {
  name: string;
  file: string;
  location: Located;
  /** Absolute path of the agent file under test. */
  agentFile: string;
  /** Environment overrides for loading the agent file. */
  env: Record<string, string>;
  variables: Record<string, unknown>;
  mocks: Record<string, ToolMocks>;
  steps: LocatedStep[];
}
