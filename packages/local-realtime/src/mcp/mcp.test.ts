import { describe, expect, it, onTestFinished } from "vitest";
import { startTestServer, TestClient } from "../../test/harness.ts";
import { startMcpServer } from "../../test/mcp-server.ts";
import { McpConnection } from "./client.ts";

async function setup(tool: Record<string, unknown>) {
  const mcp = await startMcpServer();
  onTestFinished(() => mcp.close());
  const server = await startTestServer();
  const client = await TestClient.connect(server.url);
  await client.textSession({
    tools: [{ type: "mcp", server_label: "inventory", server_url: mcp.url, ...tool }],
  });
  return { mcp, client };
}

describe("remote MCP tools", () => {
  it("lists the server's tools (honouring allowed_tools) and sends authorization and headers", async () => {
    const { mcp, client } = await setup({
      authorization: "mcp-secret",
      headers: { "X-Tenant": "lumen" },
      allowed_tools: ["check_stock", "explode"],
    });
    const added = await client.next(
      "conversation.item.added",
      (e) => e.item.type === "mcp_list_tools",
    );
    expect(await client.next("mcp_list_tools.in_progress")).toMatchObject({
      item_id: added.item.id,
    });
    await client.next("mcp_list_tools.completed");
    const done = await client.next(
      "conversation.item.done",
      (e) => e.item.type === "mcp_list_tools",
    );
    expect(done.item.tools.map((t: { name: string }) => t.name)).toEqual([
      "check_stock",
      "explode",
    ]);
    expect(done.item.tools[0].input_schema).toMatchObject({
      type: "object",
      properties: { item: { type: "string" } },
    });
    expect(
      mcp.requests.every(
        (h) => h.authorization === "Bearer mcp-secret" && h["x-tenant"] === "lumen",
      ),
    ).toBe(true);
  });

  it("calls a tool without approval when require_approval is never, with the real server's output", async () => {
    const { mcp, client } = await setup({ require_approval: "never" });
    await client.next("mcp_list_tools.completed");
    const done = await client.say("how many umbrellas are in stock");
    const [call, message] = done.response.output;
    expect(call).toMatchObject({
      type: "mcp_call",
      server_label: "inventory",
      name: "check_stock",
      arguments: '{"item":"umbrella"}',
      output: '{"item":"umbrella","in_stock":12}',
    });
    expect(message.content[0].text).toBe("Here's what I got: item umbrella, in stock 12.");
    expect(mcp.calls).toEqual([{ name: "check_stock", args: { item: "umbrella" } }]);
    const types = client.types();
    const order = [
      "response.mcp_call_arguments.done",
      "response.mcp_call.in_progress",
      "response.mcp_call.completed",
    ].map((t) => types.indexOf(t));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > (order[k - 1] as number)))).toBe(true);
  });

  it("asks for approval, waits for mcp_approval_response, then runs the call", async () => {
    const { mcp, client } = await setup({
      require_approval: { never: { tool_names: ["check_stock"] } },
    });
    await client.next("mcp_list_tools.completed");
    const first = await client.say('/call delete_item {"item":"umbrella"}');
    const request = first.response.output[0];
    expect(request).toMatchObject({
      type: "mcp_approval_request",
      server_label: "inventory",
      name: "delete_item",
      arguments: '{"item":"umbrella"}',
    });
    expect(mcp.calls).toEqual([]);
    client.send({
      type: "conversation.item.create",
      item: { type: "mcp_approval_response", approval_request_id: request.id, approve: true },
    });
    client.send({ type: "response.create" });
    const second = await client.next("response.done");
    expect(client.events.filter((e) => e.type === "error")).toEqual([]);
    expect(second.response.output[0]).toMatchObject({
      type: "mcp_call",
      approval_request_id: request.id,
      output: "deleted umbrella",
    });
    expect(second.response.output[1].content[0].text).toBe("Here's what I got: deleted umbrella");
    expect(mcp.calls).toEqual([{ name: "delete_item", args: { item: "umbrella" } }]);
  });

  it("does not run a denied call", async () => {
    const { mcp, client } = await setup({});
    await client.next("mcp_list_tools.completed");
    const first = await client.say('/call delete_item {"item":"umbrella"}');
    client.send({
      type: "conversation.item.create",
      item: {
        type: "mcp_approval_response",
        approval_request_id: first.response.output[0].id,
        approve: false,
      },
    });
    client.send({ type: "response.create" });
    const second = await client.next("response.done");
    expect(second.response.output[0].content[0].text).toBe("Okay, I won't go ahead with that.");
    expect(mcp.calls).toEqual([]);
  });

  it("reports a failing tool as mcp_call.failed with the server's error", async () => {
    const { client } = await setup({ require_approval: "never" });
    await client.next("mcp_list_tools.completed");
    const done = await client.say("/call explode");
    expect(client.types()).toContain("response.mcp_call.failed");
    expect(done.response.output[0].error).toMatchObject({
      type: "tool_execution_error",
      message: "kaboom",
    });
  });

  it("does not keep a client whose session closed while it was connecting", async () => {
    const mcp = await startMcpServer();
    onTestFinished(() => mcp.close());
    const conn = new McpConnection({ type: "mcp", server_label: "inventory", server_url: mcp.url });
    const listing = conn.listTools();
    await conn.close();
    await expect(listing).rejects.toThrow('mcp server "inventory": the session closed');
    // The close came mid-connect: the client reached the server, and was then closed rather than kept.
    expect(mcp.requests.length).toBeGreaterThan(0);
  });

  it("reports an unreachable server as mcp_list_tools.failed", async () => {
    const server = await startTestServer();
    const client = await TestClient.connect(server.url);
    await client.textSession({
      tools: [{ type: "mcp", server_label: "gone", server_url: "http://127.0.0.1:9/mcp" }],
    });
    await client.next("mcp_list_tools.failed");
  });
});
