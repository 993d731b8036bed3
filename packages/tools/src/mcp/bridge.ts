import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { AnyToolDefinition, ToolContext, ToolLogger } from "@parley/core/pack";
import pRetry from "p-retry";
import { McpBridgeError } from "./errors.ts";
import {
  type McpBridgeOptions,
  type McpBridgeSettings,
  mcpBridgeOptionsSchema,
} from "./options.ts";
import { schemaProblem } from "./schema-check.ts";
import { contentText, progressMessage, toOutput, toToolDefinition } from "./to-tool.ts";
import { traceHeadersFetch } from "./trace-headers.ts";

/** How the tool list changed, by exposed tool name. */
export interface McpToolsChange {
  added: string[];
  removed: string[];
}

export interface McpBridgeInit {
  /** Relative `cwd` and commands resolve against it (the agent file's folder). Default: process.cwd(). */
  baseDir?: string;
  log?: ToolLogger;
  /** Called each time a connection opens (also a re-open after `close()`), e.g. to track it for cleanup. */
  onOpen?: () => void;
}

// setTimeout's ceiling: the SDK's own request timeout must never fire before the scheduler's.
const NO_SDK_TIMEOUT = 2_147_483_647;
/**
 * Bounds on a tool listing: a server that answers every page with another `nextCursor` (or lists thousands of
 * tools) would otherwise keep `loadAgent` from ever settling. The Realtime API takes far fewer tools than this.
 */
export const MCP_LIST_LIMITS = { pages: 50, tools: 1000 };
const silent: ToolLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A connection to one local MCP server (stdio or streamable HTTP) whose tools are exposed as Parley
 * ToolDefinitions: tools/call with the call's AbortSignal, progress notifications → `ctx.progress()`,
 * `isError` results → a failed call, `tools/list_changed` → a refreshed list and a `toolsChanged` report.
 * A dropped connection is re-opened on the next call.
 *
 * @example
 * const bridge = new McpBridge({ label: "files", command: "node", args: ["./files-server.js"] });
 * await bridge.connect();
 * bridge.onToolsChanged((tools, { added, removed }) => console.log(added, removed));
 * const tools = bridge.tools; // ToolDefinition[] with origin { kind: "mcp", file: "files" }
 * await bridge.close();
 */
export class McpBridge {
  readonly settings: McpBridgeSettings;
  readonly #baseDir: string;
  readonly #log: ToolLogger;
  readonly #onOpen: (() => void) | undefined;
  #client: Client | undefined;
  #opening: Promise<Client> | undefined;
  #tools: AnyToolDefinition[] = [];
  #closed = false;
  // Bumped by close(): an open that was in flight when the bridge closed is abandoned.
  #generation = 0;
  #listed = false;
  #stderr = "";
  #retry: AbortController | undefined;
  readonly #changeListeners = new Set<
    (tools: AnyToolDefinition[], change: McpToolsChange) => void
  >();
  readonly #problemListeners = new Set<(error: McpBridgeError) => void>();

  constructor(options: McpBridgeOptions, init: McpBridgeInit = {}) {
    this.settings = mcpBridgeOptionsSchema.parse(options);
    this.#baseDir = init.baseDir ?? process.cwd();
    this.#log = init.log ?? silent;
    this.#onOpen = init.onOpen;
  }

  get label(): string {
    return this.settings.label;
  }

  /** The server's tools as Parley tools (after `allowedTools`); empty until connected. */
  get tools(): AnyToolDefinition[] {
    return this.#tools;
  }

  get connected(): boolean {
    return this.#client !== undefined;
  }

  /** `stdio: node server.js` or `http: http://127.0.0.1:3001/mcp`, for listings and messages. */
  get describe(): string {
    const s = this.settings;
    return s.command ? `stdio: ${[s.command, ...(s.args ?? [])].join(" ")}` : `http: ${s.url}`;
  }

  /** Connects and lists the tools. Throws `McpBridgeError("mcp_unreachable")` when the server cannot be reached. */
  async connect(): Promise<AnyToolDefinition[]> {
    await this.#ensureClient();
    return this.#tools;
  }

  /**
   * Keeps trying to connect until it works or the bridge closes, waiting `everyMs` before the first retry and then
   * twice as long each time (up to `maxMs`), each wait randomised (×1–2) so many agents restarting together do not
   * retry in step. On success the tools arrive through `onToolsChanged`. For servers that are down when the agent
   * starts. The waits never keep the process alive.
   */
  retryInBackground(everyMs: number, maxMs = Math.max(everyMs, 60_000)): void {
    if (this.#closed || this.#retry) return;
    const retry = new AbortController();
    this.#retry = retry;
    const attempt = () => this.#ensureClient();
    void sleep(everyMs, undefined, { ref: false, signal: retry.signal })
      .then(() =>
        pRetry(attempt, {
          retries: Number.POSITIVE_INFINITY,
          minTimeout: everyMs,
          maxTimeout: maxMs,
          factor: 2,
          randomize: true,
          unref: true,
          signal: retry.signal,
          onFailedAttempt: ({ attemptNumber }) =>
            this.#log.debug(
              `MCP server "${this.label}" still unreachable (attempt ${attemptNumber})`,
            ),
        }),
      )
      .catch(() => {}) // aborted by close(): nothing more to do
      .finally(() => {
        if (this.#retry === retry) this.#retry = undefined;
      });
  }

  /** Re-reads the tool list from the server. A closed bridge is not re-opened for it (`mcp_closed`). */
  async refresh(): Promise<AnyToolDefinition[]> {
    if (this.#closed && !this.#client)
      throw new McpBridgeError("mcp_closed", this.label, "the bridge is closed");
    const client = await this.#ensureClient();
    return this.#list(client);
  }

  /** Every page of tools/list, within MCP_LIST_LIMITS; each page within the connect timeout. */
  async #list(client: Client): Promise<AnyToolDefinition[]> {
    const listed: Tool[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 0; ; pages++) {
      if (pages >= MCP_LIST_LIMITS.pages)
        throw new McpBridgeError(
          "mcp_list_unbounded",
          this.label,
          `tools/list went on for more than ${MCP_LIST_LIMITS.pages} pages (nextCursor never ends)`,
        );
      const page = await client.listTools(cursor ? { cursor } : undefined, {
        timeout: this.settings.connectTimeout ?? 10_000,
      });
      listed.push(...page.tools);
      if (listed.length > MCP_LIST_LIMITS.tools)
        throw new McpBridgeError(
          "mcp_list_unbounded",
          this.label,
          `the server lists more than ${MCP_LIST_LIMITS.tools} tools`,
        );
      cursor = page.nextCursor;
      if (!cursor) break;
      if (seen.has(cursor))
        throw new McpBridgeError(
          "mcp_list_unbounded",
          this.label,
          `tools/list repeats the cursor ${JSON.stringify(cursor.slice(0, 40))}`,
        );
      seen.add(cursor);
    }
    this.#setTools(listed);
    return this.#tools;
  }

  /** Called with the whole new list and what changed whenever the server's tools change. Returns an unsubscribe. */
  onToolsChanged(
    listener: (tools: AnyToolDefinition[], change: McpToolsChange) => void,
  ): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Problems that do not belong to one call: a dropped connection, a failed refresh. */
  onProblem(listener: (error: McpBridgeError) => void): () => void {
    this.#problemListeners.add(listener);
    return () => this.#problemListeners.delete(listener);
  }

  /**
   * Closes the connection (a stdio server's process ends) and stops background retries. Tools still held
   * somewhere (a cached agent) re-open the connection if they are called again.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#generation++;
    this.#retry?.abort();
    const client = this.#client;
    this.#client = undefined;
    await client?.close().catch(() => {});
  }

  async #ensureClient(): Promise<Client> {
    if (this.#client) return this.#client;
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async #open(): Promise<Client> {
    const generation = this.#generation;
    const client = new Client(
      { name: "parley", version: "0.1.0" },
      {
        listChanged: {
          tools: {
            autoRefresh: false,
            debounceMs: 20,
            onChanged: () => {
              // Only the live connection's news counts: a notification (or its debounce timer) that arrives
              // after close() or after a reconnect must not re-open the bridge (a re-spawned server keeps
              // `agent validate` from exiting and outlives the session).
              if (this.#client !== client || this.#closed) return;
              this.#list(client).catch((error) =>
                this.#report(
                  new McpBridgeError(
                    "mcp_refresh_failed",
                    this.label,
                    `could not re-list tools: ${messageOf(error)}`,
                  ),
                ),
              );
            },
          },
        },
      },
    );
    this.#stderr = "";
    const transport = this.#transport();
    client.onclose = () => {
      if (this.#client !== client) return;
      this.#client = undefined;
      if (!this.#closed) {
        this.#report(
          new McpBridgeError(
            "mcp_disconnected",
            this.label,
            `the connection closed${this.#stderrTail()}; it will be re-opened on the next call`,
          ),
        );
      }
    };
    try {
      await client.connect(transport, { timeout: this.settings.connectTimeout ?? 10_000 });
    } catch (error) {
      await client.close().catch(() => {});
      throw new McpBridgeError(
        "mcp_unreachable",
        this.label,
        `cannot connect (${this.describe}): ${messageOf(error)}${this.#stderrTail()}`,
        {
          cause: error,
        },
      );
    }
    if (generation !== this.#generation) {
      await client.close().catch(() => {});
      throw new McpBridgeError(
        "mcp_disconnected",
        this.label,
        "the bridge was closed while connecting",
      );
    }
    this.#client = client;
    this.#closed = false;
    safely(() => this.#onOpen?.());
    this.#log.info(`connected to MCP server ${this.label} (${this.describe})`);
    try {
      await this.#list(client);
    } catch (error) {
      // Drop only this connection: close() would also end background retries.
      this.#client = undefined;
      await client.close().catch(() => {});
      throw new McpBridgeError(
        "mcp_unreachable",
        this.label,
        `connected but could not list tools: ${messageOf(error)}`,
        { cause: error },
      );
    }
    return client;
  }

  #transport(): Transport {
    const s = this.settings;
    if (s.url) {
      // The call's trace context also goes out as `traceparent` / `tracestate` headers (see traceHeadersFetch).
      return new StreamableHTTPClientTransport(new URL(s.url), {
        fetch: traceHeadersFetch(),
        ...(s.headers ? { requestInit: { headers: s.headers } } : {}),
      });
    }
    const transport = new StdioClientTransport({
      command: s.command as string,
      args: s.args ?? [],
      env: { ...getDefaultEnvironment(), ...(s.env ?? {}) },
      cwd: resolve(this.#baseDir, s.cwd ?? "."),
      stderr: "pipe",
    });
    // Keep the end of the server's stderr: it usually says why a server died.
    transport.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString("utf8")).slice(-1000);
    });
    return transport;
  }

  #stderrTail(): string {
    const tail = this.#stderr.trim().split("\n").slice(-3).join(" | ");
    return tail ? ` (server said: ${tail})` : "";
  }

  #setTools(listed: Tool[]): void {
    const allowed = this.settings.allowedTools;
    const kept = allowed ? listed.filter((t) => allowed.includes(t.name)) : listed;
    const before = new Set(this.#tools.map((t) => t.name));
    const next: AnyToolDefinition[] = [];
    for (const tool of kept) {
      const definition = toToolDefinition(tool, this.settings, (name, args, ctx) =>
        this.#call(name, args, ctx),
      );
      // One tool with a broken inputSchema must not take the others (or the session) down: it is left out, said.
      const broken = schemaProblem(definition);
      if (broken) this.#report(new McpBridgeError("mcp_invalid_tool", this.label, broken));
      else next.push(definition);
    }
    const after = new Set(next.map((t) => t.name));
    const change = {
      added: [...after].filter((n) => !before.has(n)),
      removed: [...before].filter((n) => !after.has(n)),
    };
    const listedBefore = this.#listed;
    this.#listed = true;
    this.#tools = next;
    // A later refresh may change descriptions or schemas even when the names stay: listeners always hear of it.
    if (!listedBefore && change.added.length === 0) return;
    if (change.added.length || change.removed.length)
      this.#log.info(`MCP server ${this.label}: tools changed`, change);
    for (const listener of this.#changeListeners) safely(() => listener(next, change));
  }

  async #call(name: string, args: Record<string, unknown>, ctx: ToolContext): Promise<unknown> {
    let client: Client;
    try {
      client = await this.#ensureClient();
    } catch (error) {
      throw error instanceof McpBridgeError && error.code === "mcp_unreachable"
        ? new McpBridgeError(
            "mcp_disconnected",
            this.label,
            `cannot run ${name}: ${error.message}`,
            { cause: error },
          )
        : error;
    }
    let result: CallToolResult;
    try {
      // The call's trace context rides in `params._meta` (the MCP / OpenTelemetry convention), so the server's
      // spans join the session's trace; the SDK adds its progress token beside it.
      const meta = ctx.trace ? { _meta: { ...ctx.trace } } : {};
      result = (await client.callTool({ name, arguments: args, ...meta }, undefined, {
        signal: ctx.signal,
        timeout: NO_SDK_TIMEOUT,
        onprogress: (p) => {
          const message = progressMessage(p);
          if (message) ctx.progress(message);
        },
      })) as CallToolResult;
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
      throw new McpBridgeError(
        "mcp_call_failed",
        this.label,
        `${name} failed: ${messageOf(error)}`,
        { cause: error },
      );
    }
    if (result.isError) {
      throw new McpBridgeError(
        "mcp_tool_error",
        this.label,
        `${name} reported an error: ${contentText(result) || "(no detail)"}`,
      );
    }
    return toOutput(result);
  }

  #report(error: McpBridgeError): void {
    this.#log.warn(error.message);
    for (const listener of this.#problemListeners) safely(() => listener(error));
  }
}

function messageOf(error: unknown): string {
  const e = error as {
    message?: string;
    code?: string;
    cause?: { code?: string; message?: string };
  };
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}

// Listeners never throw into the bridge.
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener's bug must not break the connection.
  }
}
