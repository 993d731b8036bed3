import type { z } from "zod";
import type { approvalSchema } from "../schema/approval.ts";
import type { DelegateSpecConfig } from "../schema/delegate.ts";
import type { fillerSchema } from "../schema/filler.ts";

/** A JSON Schema object as written in agent files (the subset the Realtime API accepts for function parameters). */
export type JsonSchema = { [key: string]: unknown };

/** Durations are milliseconds, or strings like "1.5s", "300ms", "2m". */
export type DurationInput = number | string;

/** What the agent says while a call is slow: the agent file's `filler` shape (derived from `fillerSchema` in core/src/schema). */
export type ToolFillerOptions = z.input<typeof fillerSchema>;

/** When a call needs a person's yes before it runs: the agent file's approval rule (derived from `approvalSchema`). */
export type ToolApprovalOption = z.input<typeof approvalSchema>;

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
  /** The session the call runs in, for tools that steer the conversation itself (end it, transfer a phone call). */
  session?: ToolSessionControl;
  /**
   * The W3C trace context of this call's span (`traceparent`, `tracestate`) when telemetry traces the session: pass
   * it on to what the tool calls so its spans join the trace (bridged MCP tools send it in `params._meta`).
   */
  trace?: TraceContext;
}

/**
 * W3C Trace Context of a tool call's span (`traceparent`, and `tracestate` when there is one): what a tool passes on
 * to the services it calls, so their spans join the session's trace (an MCP server gets it in `params._meta`, the
 * convention of the MCP specification and the OpenTelemetry MCP semantic conventions).
 */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

/** What a tool may do to its session. Given by the runtime; absent when a tool runs outside a session. */
export interface ToolSessionControl {
  /** The SIP call id (`rtc_…`) when the session is a phone call accepted through the Realtime SIP endpoint. */
  readonly callId?: string;
  /** Ends the session once the current response is done (the agent may say goodbye first). */
  end(reason?: string): void | Promise<void>;
}

type Infer<P> = P extends z.ZodType ? z.output<P> : Record<string, unknown>;
/** Examples are what the model sends, before defaults apply: the schema's input side. */
type InferInput<P> = P extends z.ZodType ? z.input<P> : Record<string, unknown>;

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
  examples?: ToolExample<InferInput<P>>[];
  origin?: ToolOrigin;
  /**
   * Set on a `delegate` tool from an agent file: its handler is a text model called through the Responses API by
   * the session (docs/delegation.md); `run` is then only what runs outside a session (it refuses).
   */
  delegate?: DelegateSpecConfig;
  /** A delegate's remote MCP servers (`delegate.mcp`), compiled by the loader: given to its text model as they are. */
  delegateMcp?: readonly object[];
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
