import OpenAI from "openai";
import type {
  ResponseFunctionToolCall,
  ResponseInputItem,
} from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRealtime, startLocalRealtime } from "../server.ts";

// The real `openai` client against the real local server over loopback.
let server: LocalRealtime;
let client: OpenAI;

const lookupInvoice = {
  type: "function" as const,
  name: "lookup_invoice",
  description:
    'Look up an invoice by its id.\n\nExamples:\n- "what is on invoice 2041" → {"invoice_id":"INV-2041"}',
  parameters: {
    type: "object",
    properties: { invoice_id: { type: "string", description: "The invoice id, like INV-2041" } },
    required: ["invoice_id"],
  },
  strict: false,
};

beforeAll(async () => {
  server = await startLocalRealtime({ port: 0, apiKey: "sk-test-local" });
  client = new OpenAI({ apiKey: "sk-test-local", baseURL: server.baseURL, maxRetries: 0 });
});
afterAll(() => server.close());

describe("POST /v1/responses on the local server", () => {
  it("calls the function tool the input asks for, with arguments read from it, then answers about its output", async () => {
    const input: ResponseInputItem[] = [
      { role: "user", content: "The customer disputes the charges on invoice 2041" },
    ];
    const first = await client.responses.create({
      model: "gpt-5.4",
      input,
      tools: [lookupInvoice],
      store: false,
    });
    expect(first.object).toBe("response");
    expect(first.status).toBe("completed");
    const calls = first.output.filter(
      (o): o is ResponseFunctionToolCall => o.type === "function_call",
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]?.name).toBe("lookup_invoice");
    expect(JSON.parse(calls[0]?.arguments ?? "")).toEqual({ invoice_id: "INV-2041" });
    expect(first.usage?.input_tokens).toBeGreaterThan(0);

    input.push(...(first.output as ResponseInputItem[]), {
      type: "function_call_output",
      call_id: calls[0]?.call_id ?? "",
      output: JSON.stringify({
        invoice_id: "INV-2041",
        total_gbp: 80,
        duplicate_line: "fibre £38",
      }),
    });
    const second = await client.responses.create({
      model: "gpt-5.4",
      input,
      tools: [lookupInvoice],
      store: false,
    });
    expect(second.output.map((o) => o.type)).toEqual(["message"]);
    // output_text is the client's convenience over the message's output_text parts.
    expect(second.output_text).toContain("80");
    expect(second.output_text).not.toContain("INV-9999");
  });

  it("answers without tools when none fits, and shapes the answer by a json_schema format", async () => {
    const plain = await client.responses.create({ model: "gpt-5.4", input: "hello there" });
    expect(plain.output_text).toMatch(/hello/i);
    const shaped = await client.responses.create({
      model: "gpt-5.4",
      input: [
        { role: "user", content: "what is on invoice 2041" },
        { type: "function_call", call_id: "call_1", name: "lookup_invoice", arguments: "{}" },
        {
          type: "function_call_output",
          call_id: "call_1",
          output: '{"total_gbp":80,"status":"disputed"}',
        },
      ],
      text: {
        format: {
          type: "json_schema",
          name: "verdict",
          schema: {
            type: "object",
            properties: {
              total_gbp: { type: "number" },
              summary: { type: "string" },
              refund: { type: "boolean" },
            },
          },
          strict: false,
        },
      },
    });
    const answer = JSON.parse(shaped.output_text) as Record<string, unknown>;
    expect(answer.total_gbp).toBe(80);
    expect(answer.refund).toBe(false);
    expect(String(answer.summary)).toContain("80");
  });

  it("refuses what the API refuses: a wrong key, an output for no call, a missing model", async () => {
    const wrong = new OpenAI({ apiKey: "sk-wrong", baseURL: server.baseURL, maxRetries: 0 });
    await expect(wrong.responses.create({ model: "gpt-5.4", input: "hi" })).rejects.toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    await expect(
      client.responses.create({
        model: "gpt-5.4",
        input: [{ type: "function_call_output", call_id: "call_nope", output: "{}" }],
      }),
    ).rejects.toMatchObject({ status: 400, param: "input" });
    await expect(client.responses.create({ input: "hi" } as never)).rejects.toMatchObject({
      status: 400,
      param: "model",
    });
  });
});
