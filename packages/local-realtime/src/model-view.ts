import type {
  ConversationItem,
  RealtimeResponseCreateParams,
} from "openai/resources/realtime/realtime";
import type { StoredItem } from "./conversation.ts";
import type { ParamSchema } from "./models/rules/arguments.ts";
import { parseExamples } from "./models/rules/examples.ts";
import type { ModelItem, ModelTool } from "./models/types.ts";
import type { ResponseHost } from "./response-host.ts";

type Json = Record<string, unknown>;

/** What a model sees of the conversation: the conversation itself, or an out-of-band response's `input`. */
export function modelItems(host: ResponseHost, input: ConversationItem[] | undefined): ModelItem[] {
  const stored: StoredItem[] | undefined = input
    ? input.flatMap((raw, i) => {
        // `{ type: "item_reference", id }` stands for an item already in the conversation.
        const ref = raw as { type?: string; id?: string };
        if (ref.type === "item_reference") {
          const found = host.conversation.get(String(ref.id));
          return found ? [found] : [];
        }
        return [{ item: { id: `input_${i}`, ...raw } as StoredItem["item"], heard: textOf(raw) }];
      })
    : undefined;
  // The conversation keeps its model view up to date per item; a copy, so the model sees a snapshot.
  if (!stored) return host.conversation.modelItems().slice();
  return stored.map((s) => ({ id: s.item.id, item: s.item, text: s.heard ?? textOf(s.item) }));
}

/** The tools a model may call: the response's (or session's) function tools and the tools its MCP servers listed. */
export function modelTools(
  host: ResponseHost,
  responseTools: RealtimeResponseCreateParams["tools"],
): ModelTool[] {
  const configured = (responseTools ?? host.session().tools ?? []) as Json[];
  const out: ModelTool[] = [];
  for (const tool of configured) {
    if (tool.type === "function") {
      out.push(functionModelTool(tool));
    } else if (tool.type === "mcp") {
      const label = String(tool.server_label);
      for (const listed of host.mcpTools().get(label) ?? []) {
        const description = listed.description ?? "";
        out.push({
          kind: "mcp",
          name: listed.name,
          serverLabel: label,
          description,
          parameters: (listed as { input_schema?: ParamSchema }).input_schema,
          examples: parseExamples(description),
        });
      }
    }
  }
  return out;
}

/**
 * A session's `function` tool as the model sees it (name, description, JSON Schema, examples).
 *
 * @example
 * rulesModel().respond({ …, tools: session.tools.map(functionModelTool) })
 */
export function functionModelTool(tool: Json): ModelTool {
  const description = String(tool.description ?? "");
  return {
    kind: "function",
    name: String(tool.name),
    description,
    parameters: tool.parameters as ParamSchema | undefined,
    examples: parseExamples(description),
  };
}

/** The text of an item as typed or transcribed (input_text, output_text, transcripts). */
export function textOf(item: ConversationItem): string {
  if (item.type !== "message") return "";
  return (item.content ?? [])
    .map((p) => {
      const part = p as { text?: string; transcript?: string | null };
      return part.text ?? part.transcript ?? "";
    })
    .filter(Boolean)
    .join(" ");
}
