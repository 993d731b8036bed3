import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

/**
 * A real MCP server (the SDK's McpServer) with tools that exercise the bridge: a plain result, structured
 * output, progress notifications, a tool that throws, a slow tool that honours cancellation, a tool that
 * changes the tool list, and one that echoes the trace context it received.
 */
export function buildTestServer(): McpServer {
  const server = new McpServer(
    { name: "parley-test", version: "1.0.0" },
    { capabilities: { tools: { listChanged: true } } },
  );

  server.registerTool(
    "add",
    {
      description: "Adds two numbers",
      inputSchema: { a: z.number(), b: z.number() },
      annotations: { readOnlyHint: true },
    },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  );

  server.registerTool(
    "lookup_order",
    {
      description: "Finds an order",
      inputSchema: { id: z.string() },
      outputSchema: { id: z.string(), status: z.string() },
    },
    async ({ id }) => ({
      content: [{ type: "text", text: JSON.stringify({ id, status: "shipped" }) }],
      structuredContent: { id, status: "shipped" },
    }),
  );

  server.registerTool(
    "count_slowly",
    {
      description: "Counts to n, reporting progress",
      inputSchema: { n: z.number().int(), stepMs: z.number().optional() },
    },
    async ({ n, stepMs }, extra) => {
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= n; i++) {
        await new Promise((r) => setTimeout(r, stepMs ?? 5));
        if (token !== undefined) {
          await extra.sendNotification({
            method: "notifications/progress",
            params: {
              progressToken: token,
              progress: i,
              total: n,
              message: `counted ${i} of ${n}`,
            },
          });
        }
      }
      return { content: [{ type: "text", text: `done counting to ${n}` }] };
    },
  );

  server.registerTool(
    "trace_context",
    { description: "Says which W3C trace context the request carried in _meta", inputSchema: {} },
    async (_args, extra) => {
      const meta = (extra._meta ?? {}) as Record<string, unknown>;
      const seen = { traceparent: meta.traceparent ?? null, tracestate: meta.tracestate ?? null };
      return { content: [{ type: "text", text: JSON.stringify(seen) }] };
    },
  );

  server.registerTool(
    "trace_headers",
    {
      description:
        "Says which W3C trace context headers the HTTP request carried (null over stdio)",
      inputSchema: {},
    },
    async (_args, extra) => {
      const headers = (extra.requestInfo?.headers ?? {}) as Record<string, unknown>;
      const seen = {
        traceparent: headers.traceparent ?? null,
        tracestate: headers.tracestate ?? null,
      };
      return { content: [{ type: "text", text: JSON.stringify(seen) }] };
    },
  );

  server.registerTool("explode", { description: "Always fails", inputSchema: {} }, async () => {
    throw new Error("the warehouse database is down");
  });

  server.registerTool(
    "wait",
    { description: "Waits until cancelled or ms elapse", inputSchema: { ms: z.number() } },
    async ({ ms }, extra) => {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        extra.signal.addEventListener("abort", () => {
          clearTimeout(t);
          resolve();
        });
      });
      return { content: [{ type: "text", text: extra.signal.aborted ? "cancelled" : "waited" }] };
    },
  );

  server.registerTool(
    "delete_everything",
    { description: "Deletes all records", inputSchema: {}, annotations: { destructiveHint: true } },
    async () => ({ content: [{ type: "text", text: "deleted" }] }),
  );

  server.registerTool(
    "pid",
    { description: "The server's process id", inputSchema: {} },
    async () => ({
      content: [{ type: "text", text: String(process.pid) }],
    }),
  );

  let extra: ReturnType<McpServer["registerTool"]> | undefined;
  server.registerTool(
    "toggle_extra",
    { description: "Adds or removes the tool 'extra' (the list changes)", inputSchema: {} },
    async () => {
      if (extra) {
        extra.remove();
        extra = undefined;
        return { content: [{ type: "text", text: "removed" }] };
      }
      // Registering after connect makes McpServer send notifications/tools/list_changed.
      extra = server.registerTool(
        "extra",
        { description: "A tool that appeared later", inputSchema: {} },
        async () => ({
          content: [{ type: "text", text: "extra!" }],
        }),
      );
      return { content: [{ type: "text", text: "added" }] };
    },
  );

  return server;
}

/** Serves buildTestServer() over streamable HTTP on 127.0.0.1 (stateful: one McpServer per session). */
export async function startHttpMcpServer(
  options: { requireHeader?: [string, string]; port?: number; failToolsList?: number } = {},
) {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  let listFailures = options.failToolsList ?? 0;
  const http: Server = createServer(async (req, res) => {
    if (
      options.requireHeader &&
      req.headers[options.requireHeader[0]] !== options.requireHeader[1]
    ) {
      res.statusCode = 401;
      return void res.end("unauthorized");
    }
    // A server that connects but cannot list its tools (the first `failToolsList` times).
    let body: unknown;
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const message = body as { method?: string; id?: number };
      if (message.method === "tools/list" && listFailures > 0) {
        listFailures--;
        res.setHeader("content-type", "application/json");
        return void res.end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: message.id,
            error: { code: -32603, message: "tool index is rebuilding" },
          }),
        );
      }
    }
    const sessionId = req.headers["mcp-session-id"];
    let transport = typeof sessionId === "string" ? transports.get(sessionId) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          if (transport) transports.set(id, transport);
        },
      });
      await buildTestServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  });
  // Node closes an idle kept-alive connection after 5 s, and a client POST sent on it as it closes fails ("other side
  // closed"): on a loaded machine the gap between listing the tools and calling one can be that long.
  http.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    close: async () => {
      for (const t of transports.values()) await t.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
