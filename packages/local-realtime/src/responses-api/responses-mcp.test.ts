import OpenAI from "openai";
import type { ResponseInputItem, Tool } from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMcpServer, type TestMcpServer } from "../../test/mcp-server.ts";
import { type LocalRealtime, startLocalRealtime } from "../server.ts";

// Remote MCP tools in POST /v1/responses, as the API runs them: the real `openai` client, the local server, and the
// project's real test MCP server (SDK, streamable HTTP), all on loopback.
let server: LocalRealtime;
let mcp: TestMcpServer;
let client: OpenAI;

beforeAll(async () => {
  [server, mcp] = await Promise.all([startLocalRealtime({ port: 0 }), startMcpServer()]);
  client = new OpenAI({ apiKey: "sk-local", baseURL: server.baseURL, maxRetries: 0 });
});
afterAll(async () => {
  await Promise.all([server?.close(), mcp?.close()]);
});

const inventory = (extra: Partial<Tool.Mcp> = {}): Tool.Mcp => ({
  type: "mcp",
  server_label: "inventory",
  server_url: mcp.url,
  authorization: "mcp-secret",
  ...extra,
});

describe("mcp tools in the Responses endpoint", () => {
  it("lists the server's tools, calls one on the real server and answers from its output, in one response", async () => {
    const before = mcp.calls.length;
    const response = await client.responses.create({
      model: "gpt-5.4",
      input: "how many umbrellas are in stock",
      tools: [inventory({ require_approval: "never", allowed_tools: ["check_stock"] })],
      store: false,
    });
    expect(response.output.map((o) => o.type)).toEqual(["mcp_list_tools", "mcp_call", "message"]);
    const [listed, call] = response.output;
    expect(listed).toMatchObject({ server_label: "inventory" });
    expect((listed as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual([
      "check_stock",
    ]);
    expect(call).toMatchObject({
      type: "mcp_call",
      server_label: "inventory",
      name: "check_stock",
      arguments: '{"item":"umbrella"}',
      output: '{"item":"umbrella","in_stock":12}',
      error: null,
    });
    expect(response.output_text).toContain("12");
    expect(mcp.calls.slice(before)).toEqual([{ name: "check_stock", args: { item: "umbrella" } }]);
    expect(mcp.requests.at(-1)?.authorization).toBe("Bearer mcp-secret");
  });

  it("asks for approval by default, and runs the call when the next request approves it", async () => {
    const before = mcp.calls.length;
    const tools = [inventory()];
    const input: ResponseInputItem[] = [
      { role: "user", content: "how many umbrellas are in stock" },
    ];
    const first = await client.responses.create({ model: "gpt-5.4", input, tools, store: false });
    expect(first.output.map((o) => o.type)).toEqual(["mcp_list_tools", "mcp_approval_request"]);
    expect(mcp.calls.length).toBe(before); // nothing ran yet
    const request = first.output[1] as { id: string; name: string };
    expect(request.name).toBe("check_stock");
    input.push(...(first.output as ResponseInputItem[]), {
      type: "mcp_approval_response",
      approval_request_id: request.id,
      approve: true,
    });
    const second = await client.responses.create({ model: "gpt-5.4", input, tools, store: false });
    expect(second.output.map((o) => o.type)).toEqual(["mcp_list_tools", "mcp_call", "message"]);
    expect(second.output[1]).toMatchObject({
      approval_request_id: request.id,
      name: "check_stock",
    });
    expect(second.output_text).toContain("12");
    expect(mcp.calls.slice(before)).toEqual([{ name: "check_stock", args: { item: "umbrella" } }]);
  });

  it("reports a tool's error in its mcp_call item, and a server it cannot reach in mcp_list_tools", async () => {
    const failed = await client.responses.create({
      model: "gpt-5.4",
      input: "/call explode {}",
      tools: [inventory({ require_approval: "never" })],
    });
    expect(failed.output[1]).toMatchObject({ type: "mcp_call", name: "explode", error: "kaboom" });
    const unreachable = await client.responses.create({
      model: "gpt-5.4",
      input: "hello",
      tools: [{ type: "mcp", server_label: "gone", server_url: "http://127.0.0.1:1/mcp" }],
    });
    expect(unreachable.output[0]).toMatchObject({ type: "mcp_list_tools", server_label: "gone" });
    expect((unreachable.output[0] as { error?: string }).error).toBeTruthy();
  });
});
