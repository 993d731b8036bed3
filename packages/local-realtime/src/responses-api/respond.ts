import type {
  Response,
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

type Json = Record<string, unknown>;

/** A Response as the API sends it (`output_text` is added by the `openai` client, not sent). */
export type WireResponse = Omit<Response, "output_text">;

/** Tokens the simulator reports for a text: about four characters each, as a rough English average. */
function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Answers one `POST /v1/responses` request with a simulated model: the model reads the request's input (as the
 * Realtime item shapes) and its function tools, and either calls tools (`function_call` items, the arguments it
 * chose from what was asked) or answers (a `message` with one `output_text`, shaped as JSON when the request asks
 * for a `json_schema` format). Deterministic: the same request gets the same response, ids aside.
 */
export async function respond(
  body: ResponseCreateParamsNonStreaming,
  items: ModelItem[],
  deps: {
    model: RealtimeModel;
    ids: IdGenerator;
    today: Date;
    nowSeconds: number;
    signal: AbortSignal;
  },
): Promise<WireResponse> {
  const tools = ((body.tools ?? []) as unknown as Json[])
    .filter((t) => t.type === "function")
    .map(functionModelTool);
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
  const actions: ModelAction[] = await deps.model.respond(ctx);
  const output: ResponseOutputItem[] = [];
  const said: string[] = [];
  for (const action of actions) {
    if ("call" in action) {
      const args = action.call.arguments;
      const call: ResponseFunctionToolCall = {
        type: "function_call",
        id: deps.ids.next("fc"),
        call_id: deps.ids.next("call"),
        name: action.call.name,
        arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
        status: "completed",
      };
      output.push(call);
    } else if ("say" in action) said.push(action.say);
  }
  // A model that calls tools waits for their outputs before it answers; what it said alongside is dropped.
  if (!output.length) {
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
    id: deps.ids.next("resp"),
    object: "response",
    created_at: deps.nowSeconds,
    status: "completed",
    completed_at: deps.nowSeconds,
    error: null,
    incomplete_details: null,
    instructions: (body.instructions as Response["instructions"]) ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: (body.metadata as Response["metadata"]) ?? {},
    model: body.model ?? "gpt-5",
    output,
    parallel_tool_calls: body.parallel_tool_calls !== false,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: body.reasoning ? { effort: body.reasoning.effort ?? null, summary: null } : null,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? "disabled",
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + outputTokens,
    },
  } satisfies WireResponse;
}
