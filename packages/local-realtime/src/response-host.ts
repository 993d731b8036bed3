import type { Conversation } from "./conversation.ts";
import type { IdGenerator } from "./ids.ts";
import type { McpConnection } from "./mcp/client.ts";
import type { RealtimeModel } from "./models/types.ts";
import type { SessionObject } from "./session-state.ts";

/** What a running response needs from its connection. */
export interface ResponseHost {
  readonly ids: IdGenerator;
  readonly conversation: Conversation;
  readonly conversationId: string;
  readonly model: RealtimeModel;
  /** Audio timing scale: 1 = real time, 0 = as fast as possible. */
  readonly pace: number;
  /** Wall-clock ms per ms of output audio: pace ÷ audioPace (the API sends audio faster than it plays). */
  readonly audioScale: number;
  /** The session's date: what "today" means to the model. */
  today(): Date;
  session(): SessionObject;
  send(event: Record<string, unknown>): void;
  /** Resolves when the client's socket has room for more output (backpressure for long streams). */
  writable(signal?: AbortSignal): Promise<void>;
  /** Milliseconds on the server's clock. */
  now(): number;
  /** Resolves at `time` (on `now()`'s scale) or when `signal` aborts; resolves at once when `time` has passed. */
  sleepUntil(time: number, signal?: AbortSignal): Promise<void>;
  /** Called whenever model audio is produced (after which the voice may no longer change). */
  audioProduced(): void;
  /** The MCP connection of a server label, if the session has that `mcp` tool. */
  mcp(serverLabel: string): McpConnection | undefined;
  /** Resolves when the session's MCP servers have been listed (a response waits for it before the model runs). */
  mcpReady(): Promise<void>;
  /** Tools listed per MCP server label (filled by mcp_list_tools). */
  mcpTools(): ReadonlyMap<string, Array<{ name: string; description?: string | null }>>;
}
