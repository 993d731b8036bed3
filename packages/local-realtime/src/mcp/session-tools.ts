import type { Connection } from "../connection.ts";
import { McpConnection, type McpListedTool, type McpToolConfig } from "./client.ts";

type Json = Record<string, unknown>;

/**
 * The session's `mcp` tools: when session.update adds one, the server connects to it and lists its tools,
 * announcing an `mcp_list_tools` item (conversation.item.added → mcp_list_tools.in_progress → .completed or
 * .failed → conversation.item.done). The listed tools become callable by the model.
 */
export class McpSessionTools {
  private readonly connections = new Map<string, McpConnection>();
  readonly listed = new Map<string, McpListedTool[]>();
  /** Resolves when every listing started so far has finished (tests and responses can wait for it). */
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly c: Connection) {}

  connection(label: string): McpConnection | undefined {
    return this.connections.get(label);
  }

  sync(tools: Json[]): void {
    const wanted = tools.filter((t) => t.type === "mcp") as unknown as McpToolConfig[];
    for (const [label, conn] of this.connections) {
      if (!wanted.some((w) => w.server_label === label && sameServer(w, conn.config))) {
        void conn.close();
        this.connections.delete(label);
        this.listed.delete(label);
      }
    }
    for (const config of wanted) {
      const existing = this.connections.get(config.server_label);
      if (existing) {
        // Same server: keep the connection, but honour new allowed_tools / require_approval.
        existing.config = config;
        continue;
      }
      const conn = new McpConnection(config);
      this.connections.set(config.server_label, conn);
      this.ready = Promise.all([this.ready, this.list(conn)]).then(() => undefined);
    }
  }

  private async list(conn: McpConnection): Promise<void> {
    const c = this.c;
    const id = c.ids.next("item");
    const label = conn.config.server_label;
    const previous = c.conversation.lastId();
    const item = { id, type: "mcp_list_tools", server_label: label, tools: [] as McpListedTool[] };
    c.conversation.insert({ item: item as never });
    c.send({ type: "conversation.item.added", previous_item_id: previous, item });
    c.send({ type: "mcp_list_tools.in_progress", item_id: id });
    try {
      const tools = await conn.listTools();
      this.listed.set(label, tools);
      const done = { ...item, tools };
      const stored = c.conversation.get(id);
      if (stored) c.conversation.update(stored, { item: done as never });
      c.send({ type: "mcp_list_tools.completed", item_id: id });
      c.send({ type: "conversation.item.done", previous_item_id: previous, item: done });
    } catch {
      c.send({ type: "mcp_list_tools.failed", item_id: id });
      c.send({ type: "conversation.item.done", previous_item_id: previous, item });
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((conn) => conn.close()));
    this.connections.clear();
  }
}

function sameServer(a: McpToolConfig, b: McpToolConfig): boolean {
  return (
    a.server_url === b.server_url &&
    a.authorization === b.authorization &&
    JSON.stringify(a.headers ?? null) === JSON.stringify(b.headers ?? null)
  );
}
