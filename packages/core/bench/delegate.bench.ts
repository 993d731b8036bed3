// Delegation overhead (issue 19): what Parley adds around the text model's requests in one delegation with one
// nested tool call: arguments, history, the request body, the nested scheduler, events and the output, i.e. the
// time from the voice model's function call to its output minus the time spent inside the Responses client.
// The client is an in-process stand-in that answers at once, so only Parley's own work is timed; a reference
// figure gives the same delegation through the real `openai` client and the local server's POST /v1/responses.

import { startLocalRealtime } from "@parley/local-realtime";
import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import type {
  Response,
  ResponseCreateParamsNonStreaming,
} from "openai/resources/responses/responses";
import { quantile, report } from "../../../bench/stats.ts";
import { interval, verdict } from "../../../bench/verdict.ts";
import { systemClock } from "../src/clock/index.ts";
import type { DelegationHost, ResponsesClient } from "../src/delegate/host.ts";
import { loadAgent } from "../src/load/index.ts";
import { zeroCounts } from "../src/pricing/index.ts";
import { responsesClient } from "../src/runtime/api-base.ts";
import type { SchedulerHost } from "../src/scheduler/host.ts";
import { ToolScheduler } from "../src/scheduler/tool-scheduler.ts";

const agentFile = new URL("../test/fixtures/runtime/delegate/billing.agent.yaml", import.meta.url)
  .pathname;
const usage = {
  input_tokens: 100,
  input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
  output_tokens: 20,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 120,
};

/** A text model that calls lookup_invoice once, then answers; `inside` sums the time spent in `create`. */
function instantModel(timing: { inside: number }): ResponsesClient {
  return {
    async create(body: ResponseCreateParamsNonStreaming): Promise<Response> {
      const t = performance.now();
      const answered =
        Array.isArray(body.input) &&
        body.input.some((i) => (i as { type?: string }).type === "function_call_output");
      const output = answered
        ? [
            {
              type: "message",
              id: "msg_1",
              role: "assistant",
              status: "completed",
              content: [
                {
                  type: "output_text",
                  text: "The second fibre line is a duplicate.",
                  annotations: [],
                },
              ],
            },
          ]
        : [
            {
              type: "function_call",
              id: "fc_1",
              call_id: `call_${Math.random()}`,
              name: "lookup_invoice",
              arguments: '{"invoice_id":"INV-2041"}',
              status: "completed",
            },
          ];
      const response = {
        id: "resp_1",
        object: "response",
        status: "completed",
        output,
        output_text: answered ? "The second fibre line is a duplicate." : "",
        usage,
        error: null,
      } as unknown as Response;
      timing.inside += performance.now() - t;
      return response;
    },
  };
}

async function overhead(): Promise<number[]> {
  const agent = await loadAgent(agentFile);
  const timing = { inside: 0 };
  const delegation: DelegationHost = {
    responses: instantModel(timing),
    history: () => [
      { id: "i1", type: "message", role: "user", text: "Hello" },
      { id: "i2", type: "message", role: "assistant", text: "Hi, this is Nora." },
    ],
    record: () => ({ tokens: zeroCounts(), cost: undefined }),
    deliver: () => {},
    closed: new AbortController().signal,
  };
  let done: (() => void) | undefined;
  const host: SchedulerHost = {
    send: (e: RealtimeClientEvent) => {
      if (e.type === "conversation.item.create" && e.item.type === "function_call_output") done?.();
    },
    responses: { request: () => {}, inProgress: false },
    userSpeaking: false,
    clock: systemClock,
    variables: { company: "Northwind" },
    delegation,
  };
  const scheduler = new ToolScheduler(host, { tools: agent.tools, filler: false });
  const samples: number[] = [];
  for (let i = 0; i < 2200; i++) {
    timing.inside = 0;
    const finished = new Promise<void>((r) => (done = r));
    const t = performance.now();
    scheduler.onFunctionCall({
      type: "function_call",
      call_id: `c${i}`,
      name: "billing_expert",
      arguments: '{"question":"dispute invoice 2041"}',
    });
    await finished;
    if (i >= 200) samples.push(performance.now() - t - timing.inside);
  }
  await scheduler.close();
  return samples;
}

async function throughServer(): Promise<number[]> {
  const server = await startLocalRealtime({ port: 0, pace: 0 });
  const client = responsesClient({ apiBase: server.baseURL, apiKey: "local", warm: true });
  const samples: number[] = [];
  try {
    for (let i = 0; i < 120; i++) {
      const t = performance.now();
      const first = await client.create({
        model: "gpt-5.4",
        store: false,
        input: [{ role: "user", content: "dispute a charge on invoice 2041" }],
        tools: [
          {
            type: "function",
            name: "lookup_invoice",
            description: "Look up an invoice",
            parameters: {
              type: "object",
              properties: { invoice_id: { type: "string", description: "like INV-2041" } },
            },
            strict: false,
          },
        ],
      });
      await client.create({
        model: "gpt-5.4",
        store: false,
        input: [
          { role: "user", content: "dispute a charge on invoice 2041" },
          ...(first.output as never[]),
          {
            type: "function_call_output",
            call_id: (first.output[0] as { call_id: string }).call_id,
            output: '{"total_gbp":80}',
          },
        ],
      });
      if (i >= 20) samples.push(performance.now() - t);
    }
  } finally {
    await server.close();
  }
  return samples;
}

interval(
  "the voice model's function_call to its function_call_output, minus the time inside the Responses client (two requests, one nested call)",
);
const samples = await overhead();
report("delegate overhead", samples, "ms");
verdict("delegate overhead median", quantile(samples, 0.5), "ms", { max: 2 });
verdict("delegate overhead p99", quantile(samples, 0.99), "ms", { max: 10 });
report(
  "delegate two requests through the openai client and the local server (reference)",
  await throughServer(),
  "ms",
);
