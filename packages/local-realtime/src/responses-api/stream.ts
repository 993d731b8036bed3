import type { ServerResponse } from "node:http";
import type {
  ResponseOutputItem,
  ResponseOutputText,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import type { WireResponse } from "./respond.ts";

/** A stream event as sent: the `openai` union, without the sequence number the writer adds. */
type Unnumbered = ResponseStreamEvent extends infer E
  ? E extends { sequence_number: number }
    ? Omit<E, "sequence_number">
    : never
  : never;

/** Characters per text or arguments delta (the API sends about a token each; a few words is enough to test). */
const CHUNK = 16;

function chunks(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK) out.push(text.slice(i, i + CHUNK));
  return out;
}

/**
 * `stream: true` on POST /v1/responses: the Responses API's server-sent events (`event: <type>` and `data: <json>`,
 * each with its `sequence_number`), typed by the `openai` package's `ResponseStreamEvent`. `response.created` and
 * `response.in_progress` go out before the model runs; the output items follow as the API streams them (added, their
 * deltas, done), then `response.completed` with the whole response.
 */
export class ResponseEventStream {
  #sequence = 0;

  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
  }

  /** The response before the model ran: in progress, no output, no usage. */
  start(skeleton: WireResponse): void {
    const response = { ...skeleton, status: "in_progress" as const, output: [] };
    this.#send({ type: "response.created", response: response as never });
    this.#send({ type: "response.in_progress", response: response as never });
  }

  /** The model's output, item by item, then `response.completed`; ends the HTTP response. */
  finish(response: WireResponse): void {
    for (const [index, item] of response.output.entries()) this.#item(item, index);
    this.#send({ type: "response.completed", response: response as never });
    this.res.end();
  }

  #item(item: ResponseOutputItem, output_index: number): void {
    const item_id = "id" in item && typeof item.id === "string" ? item.id : "";
    switch (item.type) {
      case "message": {
        this.#send({
          type: "response.output_item.added",
          output_index,
          item: { ...item, status: "in_progress", content: [] },
        });
        for (const [content_index, part] of item.content.entries()) {
          if (part.type !== "output_text") continue;
          const empty: ResponseOutputText = { ...part, text: "", annotations: [], logprobs: [] };
          this.#send({
            type: "response.content_part.added",
            item_id,
            output_index,
            content_index,
            part: empty,
          });
          for (const delta of chunks(part.text))
            this.#send({
              type: "response.output_text.delta",
              item_id,
              output_index,
              content_index,
              delta,
              logprobs: [],
            });
          this.#send({
            type: "response.output_text.done",
            item_id,
            output_index,
            content_index,
            text: part.text,
            logprobs: [],
          });
          this.#send({
            type: "response.content_part.done",
            item_id,
            output_index,
            content_index,
            part,
          });
        }
        break;
      }
      case "function_call": {
        this.#send({
          type: "response.output_item.added",
          output_index,
          item: { ...item, arguments: "", status: "in_progress" },
        });
        for (const delta of chunks(item.arguments))
          this.#send({
            type: "response.function_call_arguments.delta",
            item_id,
            output_index,
            delta,
          });
        this.#send({
          type: "response.function_call_arguments.done",
          item_id,
          output_index,
          name: item.name,
          arguments: item.arguments,
        });
        break;
      }
      case "mcp_list_tools": {
        this.#send({
          type: "response.output_item.added",
          output_index,
          item: { ...item, tools: [] },
        });
        this.#send({ type: "response.mcp_list_tools.in_progress", item_id, output_index });
        this.#send({
          type: item.error ? "response.mcp_list_tools.failed" : "response.mcp_list_tools.completed",
          item_id,
          output_index,
        });
        break;
      }
      case "mcp_call": {
        this.#send({
          type: "response.output_item.added",
          output_index,
          item: { ...item, arguments: "", output: null, error: null, status: "in_progress" },
        });
        this.#send({ type: "response.mcp_call.in_progress", item_id, output_index });
        for (const delta of chunks(item.arguments))
          this.#send({ type: "response.mcp_call_arguments.delta", item_id, output_index, delta });
        this.#send({
          type: "response.mcp_call_arguments.done",
          item_id,
          output_index,
          arguments: item.arguments,
        });
        this.#send({
          type: item.error ? "response.mcp_call.failed" : "response.mcp_call.completed",
          item_id,
          output_index,
        });
        break;
      }
      default:
        this.#send({ type: "response.output_item.added", output_index, item });
    }
    this.#send({ type: "response.output_item.done", output_index, item });
  }

  #send(event: Unnumbered): void {
    const numbered = { ...event, sequence_number: this.#sequence++ } as ResponseStreamEvent;
    this.res.write(`event: ${numbered.type}\ndata: ${JSON.stringify(numbered)}\n\n`);
  }
}
