import type { Response, ResponseCreateParams } from "openai/resources/responses/responses";

/** A Response as the API sends it (`output_text` is added by the `openai` client, not sent). */
export type WireResponse = Omit<Response, "output_text">;

/**
 * The response to `body` before the model has run: the request's settings echoed, in progress, no output, no usage
 * (what `response.created` carries; the finished response adds output, usage and `completed`).
 */
export function responseShell(
  body: ResponseCreateParams,
  id: string,
  nowSeconds: number,
): WireResponse {
  return {
    id,
    object: "response",
    created_at: nowSeconds,
    status: "in_progress",
    error: null,
    incomplete_details: null,
    instructions: (body.instructions as Response["instructions"]) ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: (body.metadata as Response["metadata"]) ?? {},
    model: body.model ?? "gpt-5",
    output: [],
    parallel_tool_calls: body.parallel_tool_calls !== false,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: body.reasoning ? { effort: body.reasoning.effort ?? null, summary: null } : null,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? "disabled",
  };
}
