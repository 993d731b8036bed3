import type { ConversationItem } from "openai/resources/realtime/realtime";
import type { SessionObject } from "../session-state.ts";
import type { ParamSchema } from "./rules/arguments.ts";

/**
 * What a model may do in a response, in order. The same shapes are the steps of a scripted scenario.
 * - `say`: an assistant message (audio + transcript, or text, per the session's output modalities);
 * - `call`: a function call (or a call to a tool of an `mcp` server, when `name` is one of its tools);
 *   `arguments` as an object or a JSON string;
 * - `wait`: pause for `ms` milliseconds (scaled by the server's `pace`) before the next action.
 */
export type ModelAction =
  | { say: string }
  | { call: { name: string; arguments?: Record<string, unknown> | string } }
  | { wait: number };

/** An item as a model sees it: the wire item plus the text the simulator "heard" in it. */
export interface ModelItem {
  id: string;
  item: ConversationItem;
  /** Typed text, or the transcript carried by speech audio (see `speechAudio`); "" when there is none. */
  text: string;
}

/** A tool the model may call: a session function tool, or a tool listed by an `mcp` server. */
export interface ModelTool {
  kind: "function" | "mcp";
  name: string;
  description: string;
  /** For MCP tools, the server it belongs to. */
  serverLabel?: string;
  /** The tool's JSON Schema parameters (an MCP tool's input schema), when it has them. */
  parameters?: ParamSchema | undefined;
  /** Parsed from the description's trailing `Examples:` block (see docs/architecture.md). */
  examples: Array<{ utterance: string; arguments: Record<string, unknown> }>;
}

export interface ModelContext {
  session: Readonly<SessionObject>;
  /** What the model sees, oldest first: the conversation, or an out-of-band response's `input`. */
  items: readonly ModelItem[];
  /** The response's own `instructions`, if it has any (they override the session's for this response). */
  responseInstructions: string | undefined;
  /** The session's instructions (the persona). */
  sessionInstructions: string;
  /** True for `conversation: "none"` responses (fillers, classification): their output joins no conversation. */
  outOfBand: boolean;
  metadata: Record<string, string> | null;
  tools: readonly ModelTool[];
  toolChoice: unknown;
  /** False when the session or response sets `parallel_tool_calls: false` (then at most one call per response). */
  parallelToolCalls: boolean;
  /** The session's date: what "today", "tomorrow" or "Friday" mean. */
  today: Date;
  /** True when this call continues a response after its MCP calls finished (the model may now speak about them). */
  continuation: boolean;
  signal: AbortSignal;
}

/**
 * A simulated model. `respond` is called once per response (and again within a response after MCP calls
 * complete, with `continuation: true`) and returns what to do. Deterministic models make tests exact.
 *
 * @example
 * const echo: RealtimeModel = {
 *   name: "echo",
 *   respond: (ctx) => [{ say: ctx.items.at(-1)?.text ?? "" }],
 * };
 * await startLocalRealtime({ model: echo });
 */
export interface RealtimeModel {
  readonly name: string;
  respond(context: ModelContext): ModelAction[] | Promise<ModelAction[]>;
}

/**
 * Identity helper for typing a custom model.
 *
 * @example
 * export const parrot = defineModel({ name: "parrot", respond: (ctx) => [{ say: ctx.items.at(-1)?.text || "…" }] });
 */
export function defineModel(model: RealtimeModel): RealtimeModel {
  return model;
}
