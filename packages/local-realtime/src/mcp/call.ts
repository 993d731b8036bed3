import { closeItem, type OutputTarget, openItem, split } from "../response-output.ts";
import { textTokens } from "../tokens.ts";
import type { McpConnection } from "./client.ts";

/**
 * Streams an `mcp_call` item and runs the call on the real MCP server: arguments deltas, in_progress,
 * then completed with the server's output, or failed with its error.
 */
export async function runMcpCall(
  t: OutputTarget,
  connection: McpConnection,
  name: string,
  args: string,
  approvalRequestId: string | null,
): Promise<void> {
  const { host } = t;
  const id = host.ids.next("item");
  const base = {
    id,
    type: "mcp_call",
    server_label: connection.config.server_label,
    name,
    approval_request_id: approvalRequestId,
  };
  const index = openItem(t, { ...base, arguments: "", output: null, error: null });
  for (const delta of split(args, 2))
    host.send({
      type: "response.mcp_call_arguments.delta",
      response_id: t.responseId,
      item_id: id,
      output_index: index,
      delta,
    });
  host.send({
    type: "response.mcp_call_arguments.done",
    response_id: t.responseId,
    item_id: id,
    output_index: index,
    arguments: args,
  });
  host.send({ type: "response.mcp_call.in_progress", output_index: index, item_id: id });
  let output: string | null = null;
  let error: Record<string, unknown> | null = null;
  try {
    const parsed = args ? (JSON.parse(args) as Record<string, unknown>) : {};
    const result = await connection.callTool(name, parsed, t.signal);
    if (result.isError) error = { type: "tool_execution_error", message: result.output };
    else output = result.output;
  } catch (e) {
    error = {
      type: "protocol_error",
      code: -32000,
      message: e instanceof Error ? e.message : String(e),
    };
  }
  host.send({
    type: error ? "response.mcp_call.failed" : "response.mcp_call.completed",
    output_index: index,
    item_id: id,
  });
  t.outputTokens.text += textTokens(args);
  const stored = host.conversation.get(id);
  if (stored) host.conversation.update(stored, { heard: output ?? "" });
  closeItem(t, index, { ...base, arguments: args, output, error });
}
