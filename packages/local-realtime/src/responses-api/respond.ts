import type {
  ResponseCreateParamsNonStreaming,
  ResponseFunctionToolCall,
  ResponseOutputItem,
  ResponseOutputMessage,
} from "openai/resources/responses/responses";
import type { IdGenerator } from "../ids.ts";
import { functionModelTool } from "../model-view.ts";
import type { ModelAction, ModelContext, ModelItem, RealtimeModel } from "../models/types.ts";
import type { SessionObject } from "../session-state.ts";
import { answerShaped } from "./json-answer.ts";
import { ResponsesMcp } from "./mcp-tools.ts";
import { responseShell, type WireResponse } from "./response-shell.ts";

type Json = Record<string, unknown>;

export type { WireResponse } from "./response-shell.ts";

/** Model turns within one request (MCP calls the server runs, then the model reads their output). */
const MAX_MCP_ROUNDS = 8;

/** Tokens the simulator reports for a text: about four characters each, as a rough English average. */
function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** What a response needs besides the request: the model, ids, the clock and the request's abort signal. */
export interface RespondDeps {
  model: RealtimeModel;
  ids: IdGenerator;
  today: Date;
  nowSeconds: number;
  signal: AbortSignal;
  /** The response's id, when it was announced before the model ran (streaming). */
  id?: string;
}

/**
 * Answers one `POST /v1/responses` request with a simulated model: the model reads the request's input (as the
 * Realtime item shapes) and its function tools, and either calls tools (`function_call` items, the arguments it
 * chose from what was asked) or answers (a `message` with one `output_text`, shaped as JSON when the request asks
 * for a `json_schema` format). Its `type: "mcp"` tools run here, as the API runs them (mcp-tools.ts): the model's
 * calls of them become `mcp_call` items with the real server's output, read before it answers, or
 * `mcp_approval_request` items that end the response until the next request approves them. Deterministic: the same
 * request gets the same response, ids aside.
 */
export async function respond(
  body: ResponseCreateParamsNonStreaming,
  items: ModelItem[],
  deps: RespondDeps,
): Promise<WireResponse> {
  const mcp = await ResponsesMcp.open(body.tools ?? [], deps.ids);
  try {
    return await respondWith(body, items, deps, mcp);
  } finally {
    await mcp.close();
  }
}

async function respondWith(
  body: ResponseCreateParamsNonStreaming,
  input: ModelItem[],
  deps: RespondDeps,
  mcp: ResponsesMcp,
): Promise<WireResponse> {
  const items = [...input];
  const tools = [
    ...((body.tools ?? []) as unknown as Json[])
      .filter((t) => t.type === "function")
      .map(functionModelTool),
    ...mcp.tools,
  ];
  const ctx: ModelContext = {
    session: { type: "realtime", tools: body.tools ?? [] } as unknown as SessionObject,
    items,
    responseInstructions: undefined,
    sessionInstructions: typeof body.instructions === "string" ? body.instructions : "",
    outOfBand: false,
    metadata: (body.metadata as Record<string, string> | null | undefined) ?? null,
    tools,
    toolChoice: body.tool_choice ?? "auto",
    parallelToolCalls: body.parallel_tool_calls !== false,
    today: deps.today,
    continuation: false,
    signal: deps.signal,
  };
  const output: ResponseOutputItem[] = [...mcp.listed];
  const said: string[] = [];
  // An approved call the previous response asked about runs first, as the API does on the next request.
  const approved = approvedCall(items);
  if (approved) {
    const call = await mcp.call(
      approved.server_label,
      approved.name,
      approved.arguments,
      deps.ids,
      deps.signal,
      approved.id,
    );
    output.push(call);
    items.push(modelItem(call));
  }
  let waiting = false;
  for (let round = 0; round < MAX_MCP_ROUNDS; round++) {
    const actions: ModelAction[] = await deps.model.respond(ctx);
    let ranMcp = false;
    for (const action of actions) {
      if ("say" in action) {
        said.push(action.say);
        continue;
      }
      if (!("call" in action)) continue;
      const args = action.call.arguments;
      const text = typeof args === "string" ? args : JSON.stringify(args ?? {});
      const remote =
        tools.find((t) => t.name === action.call.name)?.kind === "mcp"
          ? mcp.tool(action.call.name)
          : undefined;
      if (remote?.serverLabel) {
        if (mcp.needsApproval(remote.serverLabel, remote.name)) {
          output.push({
            type: "mcp_approval_request",
            id: deps.ids.next("mcpr"),
            server_label: remote.serverLabel,
            name: remote.name,
            arguments: text,
          });
          waiting = true;
        } else {
          const call = await mcp.call(remote.serverLabel, remote.name, text, deps.ids, deps.signal);
          output.push(call);
          items.push(modelItem(call));
          ranMcp = true;
        }
        continue;
      }
      const call: ResponseFunctionToolCall = {
        type: "function_call",
        id: deps.ids.next("fc"),
        call_id: deps.ids.next("call"),
        name: action.call.name,
        arguments: text,
        status: "completed",
      };
      output.push(call);
    }
    // Function calls and approval requests end the response (the client answers them); MCP outputs are read at once.
    if (waiting || output.some((o) => o.type === "function_call") || !ranMcp) break;
    said.length = 0;
  }
  // A model that calls tools waits for their outputs before it answers; what it said alongside is dropped.
  if (!waiting && !output.some((o) => o.type === "function_call")) {
    const format = (body.text?.format ?? { type: "text" }) as Json;
    const spoken = said.join(" ");
    const text =
      format.type === "json_schema"
        ? JSON.stringify(answerShaped(format.schema as Json, spoken, items))
        : format.type === "json_object"
          ? JSON.stringify({ answer: spoken })
          : spoken;
    const message: ResponseOutputMessage = {
      type: "message",
      id: deps.ids.next("msg"),
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text, annotations: [], logprobs: [] }],
    };
    output.push(message);
  }
  const inputTokens = tokens(
    JSON.stringify(body.input ?? "") + (body.instructions ?? "") + JSON.stringify(body.tools ?? []),
  );
  const outputTokens = tokens(JSON.stringify(output));
  return {
    ...responseShell(body, deps.id ?? deps.ids.next("resp"), deps.nowSeconds),
    status: "completed",
    completed_at: deps.nowSeconds,
    output,
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + outputTokens,
    },
  } satisfies WireResponse;
}

/** The MCP call the input approves: its last `mcp_approval_response` with `approve: true`, and the request's item. */
function approvedCall(
  items: readonly ModelItem[],
): { id: string; server_label: string; name: string; arguments: string } | undefined {
  const last = items.at(-1)?.item as Json | undefined;
  if (last?.type !== "mcp_approval_response" || last.approve !== true) return undefined;
  const request = items.find((i) => i.item.id === last.approval_request_id)?.item as
    | Json
    | undefined;
  if (request?.type !== "mcp_approval_request") return undefined;
  return {
    id: String(request.id),
    server_label: String(request.server_label),
    name: String(request.name),
    arguments: String(request.arguments ?? "{}"),
  };
}

/** An `mcp_call` output item as the model reads it (the Realtime item shape). */
function modelItem(call: ResponseOutputItem.McpCall): ModelItem {
  return { id: call.id, item: call as unknown as ModelItem["item"], text: "" };
}
