import type { ConversationItem } from "openai/resources/realtime/realtime";
import type { ResponseCreateParamsNonStreaming } from "openai/resources/responses/responses";
import { textOf } from "../model-view.ts";
import type { ModelItem } from "../models/types.ts";

type Json = Record<string, unknown>;

/** The text of a Responses message `content` (a string, or input_text / output_text parts). */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((p) => (p && typeof p === "object" ? String((p as Json).text ?? "") : ""))
    .filter(Boolean)
    .join(" ");
}

/**
 * A Responses request's `input` as the items a simulated model reads (the Realtime item shapes, which the rules
 * model knows): messages (developer → system), function calls and their outputs, MCP calls and approvals. Other
 * item types are skipped.
 */
export function inputItems(input: ResponseCreateParamsNonStreaming["input"]): ModelItem[] {
  const raw: unknown[] =
    typeof input === "string" ? [{ role: "user", content: input }] : (input ?? []);
  const out: ModelItem[] = [];
  for (const [i, value] of raw.entries()) {
    if (!value || typeof value !== "object") continue;
    const entry = value as Json;
    const id = typeof entry.id === "string" ? entry.id : `input_${i}`;
    const type = entry.type ?? "message";
    let item: ConversationItem | undefined;
    if (type === "message") {
      const role =
        entry.role === "assistant" ? "assistant" : entry.role === "user" ? "user" : "system";
      const text = contentText(entry.content);
      item =
        role === "assistant"
          ? { id, type: "message", role, content: [{ type: "output_text", text }] }
          : { id, type: "message", role, content: [{ type: "input_text", text }] };
    } else if (type === "function_call") {
      item = {
        id,
        type: "function_call",
        call_id: String(entry.call_id),
        name: String(entry.name),
        arguments: String(entry.arguments ?? ""),
      };
    } else if (type === "function_call_output") {
      const output = typeof entry.output === "string" ? entry.output : contentText(entry.output);
      item = { id, type: "function_call_output", call_id: String(entry.call_id), output };
    } else if (
      type === "mcp_call" ||
      type === "mcp_approval_request" ||
      type === "mcp_approval_response"
    ) {
      // The Responses and Realtime shapes of these items are the same fields.
      item = { ...entry, id } as unknown as ConversationItem;
    }
    if (item) out.push({ id, item, text: textOf(item) });
  }
  return out;
}

/** Problems with a request's input items that the API refuses too: an output for a call the input never made. */
export function inputProblem(items: readonly ModelItem[]): string | undefined {
  const calls = new Set<string>();
  for (const { item } of items) {
    if (item.type === "function_call") calls.add(String(item.call_id));
    if (item.type === "function_call_output" && !calls.has(String(item.call_id)))
      return `No tool call found for function call output with call_id ${item.call_id}.`;
  }
  return undefined;
}
