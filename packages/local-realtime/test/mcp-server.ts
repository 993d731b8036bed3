// A real MCP server (SDK McpServer over streamable HTTP, stateless) on loopback, for the MCP tests.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export interface TestMcpServer {
  url: string;
  /** Headers of every HTTP request received. */
  requests: IncomingHttpHeaders[];
  /** Tool calls the server executed. */
  calls: Array<{ name: string; args: unknown }>;
  close(): Promise<void>;
}

export async function startMcpServer(): Promise<TestMcpServer> {
  const requests: IncomingHttpHeaders[] = [];
  const calls: TestMcpServer["calls"] = [];
  const build = () => {
    const mcp = new McpServer({ name: "test-inventory", version: "1.0.0" });
    mcp.registerTool(
      "check_stock",
      {
        description:
          'Stock level of an item.\n\nExamples:\n- "how many umbrellas are in stock" → {"item":"umbrella"}',
        inputSchema: { item: z.string() },
      },
      async ({ item }) => {
        calls.push({ name: "check_stock", args: { item } });
        return { content: [{ type: "text", text: JSON.stringify({ item, in_stock: 12 }) }] };
      },
    );
    mcp.registerTool(
      "delete_item",
      { description: "Deletes an item.", inputSchema: { item: z.string() } },
      async ({ item }) => {
        calls.push({ name: "delete_item", args: { item } });
        return { content: [{ type: "text", text: `deleted ${item}` }] };
      },
    );
    mcp.registerTool("explode", { description: "Always fails.", inputSchema: {} }, async () => {
      calls.push({ name: "explode", args: {} });
      return { isError: true, content: [{ type: "text", text: "kaboom" }] };
    });
    return mcp;
  };
  const http = createServer(async (req, res) => {
    requests.push(req.headers);
    const mcp = build();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
  });
  // Node closes an idle kept-alive connection after 5 s, and a client POST sent on it as it closes fails ("other side
  // closed"): on a loaded machine the gap between listing the tools and calling one can be that long.
  http.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
