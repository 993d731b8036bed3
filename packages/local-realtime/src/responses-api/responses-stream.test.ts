import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMcpServer, type TestMcpServer } from "../../test/mcp-server.ts";
import { type LocalRealtime, startLocalRealtime } from "../server.ts";

// `stream: true` through the real `openai` client: its stream helper rebuilds the response from the events (and
// throws on an event that does not fit the snapshot), so a shape or order the client cannot follow fails here.
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

const lookupInvoice = {
  type: "function" as const,
  name: "lookup_invoice",
  description:
    'Look up an invoice by its id.\n\nExamples:\n- "what is on invoice 2041" → {"invoice_id":"INV-2041"}',
  parameters: {
    type: "object",
    properties: { invoice_id: { type: "string" } },
    required: ["invoice_id"],
  },
  strict: false,
};

async function streamed(params: Parameters<OpenAI["responses"]["stream"]>[0]) {
  const stream = client.responses.stream(params);
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return { events, final: await stream.finalResponse() };
}

describe("streamed responses", () => {
  it("streams a function call: created, in_progress, the item and its argument deltas, completed, in sequence", async () => {
    const { events, final } = await streamed({
      model: "gpt-5.4",
      input: "what is on invoice 2041",
      tools: [lookupInvoice],
    });
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[0]?.type).toBe("response.created");
    expect(events[1]?.type).toBe("response.in_progress");
    expect(events.at(-1)?.type).toBe("response.completed");
    const types = events.map((e) => e.type);
    expect(types).toContain("response.function_call_arguments.delta");
    const call = final.output.find((o) => o.type === "function_call");
    expect(call).toMatchObject({ name: "lookup_invoice", arguments: '{"invoice_id":"INV-2041"}' });
    // The snapshot the client built from the events is the response the server completed.
    const completed = events.at(-1) as Extract<ResponseStreamEvent, { type: "response.completed" }>;
    // (`parsed_arguments` is the client's own addition to a final response.)
    expect(final.output.map((o) => ({ ...o, parsed_arguments: undefined }))).toEqual(
      completed.response.output,
    );
    expect(completed.response.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("streams a text answer whose deltas are the answer, the same as the non-streamed one", async () => {
    const params = { model: "gpt-5.4", input: "hello there, how are you today" };
    const { events, final } = await streamed(params);
    const deltas = events
      .filter((e) => e.type === "response.output_text.delta")
      .map((e) => (e as { delta: string }).delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(final.output_text);
    const plain = await client.responses.create(params);
    expect(final.output_text).toBe(plain.output_text);
  });

  it("streams remote MCP work: the listing, the call's arguments and its completion, then the answer", async () => {
    const { events, final } = await streamed({
      model: "gpt-5.4",
      input: "how many umbrellas are in stock",
      tools: [
        { type: "mcp", server_label: "inventory", server_url: mcp.url, require_approval: "never" },
      ],
    });
    const types = events.map((e) => e.type);
    for (const type of [
      "response.mcp_list_tools.in_progress",
      "response.mcp_list_tools.completed",
      "response.mcp_call.in_progress",
      "response.mcp_call_arguments.delta",
      "response.mcp_call_arguments.done",
      "response.mcp_call.completed",
    ])
      expect(types).toContain(type);
    expect(final.output.map((o) => o.type)).toEqual(["mcp_list_tools", "mcp_call", "message"]);
    expect(final.output_text).toContain("12");
  });
});
