import type { z } from "zod";

/** A JSON Schema object as written in agent files (the subset the Realtime API accepts for function parameters). */
export type JsonSchema = { [key: string]: unknown };

/** Durations are milliseconds, or strings like "1.5s", "300ms", "2m". */
export type DurationInput = number | string;

/** What the agent says while a call is slow. Shapes mirror the agent file's `filler` field (schema in core/src/schema). */
export interface ToolFillerOptions {
  /** Start after the call has run this long (default 1.5s). `false` disables fillers for the tool. */
  after?: DurationInput;
  /** Repeat this often while still running. */
  every?: DurationInput;
  /** At most this many fillers per call. */
  max?: number;
  /** Fixed lines, said in rotation; a map keyed by language ("en", "fr", …) for per-language lines. */
  lines?: string[] | Record<string, string[]>;
  /** Let the model generate the line from this instruction instead of a fixed line. */
  generate?: boolean | string;
  enabled?: boolean;
}

/** When a call needs a person's yes before it runs. Mirrors the agent file's approval rules. */
export type ToolApprovalOption =
  | "never"
  | "always"
  | { when: string; timeout?: DurationInput; onTimeout?: "reject" | "approve"; approver?: string };

/** One user utterance and the arguments it should produce: documentation, a hint to the model, and a test oracle. */
export interface ToolExample<Args = Record<string, unknown>> {
  say: string;
  args: Args;
}

/** A small namespaced logger whose output is redacted before it goes anywhere. */
export interface ToolLogger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

/** What a running tool gets besides its arguments. */
export interface ToolContext<Vars = Record<string, unknown>> {
  /** Aborted on timeout, on cancellation (user interruption with `onInterrupt: "cancel"`, duplicate `replace`) and on session close. */
  signal: AbortSignal;
  /** A real status update ("Found 3 rooms, checking prices"): spoken instead of a canned filler line. */
  progress(message: string): void;
  /** The session's variables (agent defaults overridden at session start). */
  variables: Vars;
  log: ToolLogger;
  /** The Realtime `call_id` of this call. */
  callId: string;
}

type Infer<P> = P extends z.ZodType ? z.output<P> : Record<string, unknown>;

/** Where a tool came from, for `agent tools`, error messages and live reload. */
export interface ToolOrigin {
  kind: "inline" | "pack" | "mcp";
  /** The file that declared it (agent file, pack module, or MCP server label). */
  file?: string;
  pack?: string;
}

/**
 * A tool the model can call. `defineTool` returns its argument and only adds types.
 * `parameters` is a zod schema (arguments are then typed) or a JSON Schema object.
 */
export interface ToolDefinition<P = z.ZodType | JsonSchema, Result = unknown> {
  name: string;
  description: string;
  parameters: P;
  run(args: Infer<P>, ctx: ToolContext): Result | Promise<Result>;
  /** Default 30s. */
  timeout?: DurationInput;
  filler?: ToolFillerOptions | false;
  approval?: ToolApprovalOption;
  /** Calls of this tool allowed to run at once in one session (more wait their turn). */
  concurrency?: number;
  /** What a user interruption does to a running call. Default "continue". */
  onInterrupt?: "continue" | "cancel";
  /** A second call with the same name and arguments while one is in flight. Default "allow". */
  duplicate?: "allow" | "reject" | "replace";
  examples?: ToolExample<Infer<P>>[];
  origin?: ToolOrigin;
}

/**
 * Declares a tool with typed arguments.
 *
 * @example
 * export const lookupBooking = defineTool({
 *   name: "lookup_booking",
 *   description: "Find a booking by its reference",
 *   parameters: z.object({ reference: z.string() }),
 *   filler: { after: "1s", lines: ["One moment, I'm pulling up your booking."] },
 *   async run({ reference }, { signal }) {
 *     return fetchBooking(reference, { signal });
 *   },
 * });
 */
export function defineTool<P extends z.ZodType | JsonSchema, Result = unknown>(
  tool: ToolDefinition<P, Result>,
): ToolDefinition<P, Result> {
  return tool;
}
