import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResponseCreateParamsNonStreaming } from "openai/resources/responses/responses";
import { sendApiError } from "../calls/api-error.ts";
import { IdGenerator } from "../ids.ts";
import type { RealtimeModel } from "../models/types.ts";
import { inputItems, inputProblem } from "./input-items.ts";
import { respond } from "./respond.ts";
import { responseShell } from "./response-shell.ts";
import { ResponseEventStream } from "./stream.ts";

/** What the Responses endpoint needs from the server. */
export interface ResponsesEndpointContext {
  /** When set, only this bearer key is accepted. */
  apiKey: string | undefined;
  /** The simulated text model (default: the rules model, the same rules as the realtime one). */
  model: RealtimeModel;
  /** The date "today" means to the model. */
  today(): Date;
  /** Requests answered so far (tests and benchmarks read it). */
  count: number;
}

/** Request bodies above this are refused (the API's own limit is larger; a simulator needs far less). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
// Ids of this endpoint share one generator: "connection" 0 is never a WebSocket session's.
const ids = new IdGenerator(0);

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RangeError("body too large");
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/**
 * `POST /v1/responses`: a minimal, deterministic Responses API (`stream: true` gives the API's server-sent events;
 * `store` is accepted but nothing is kept, so `previous_response_id` is refused). Returns false for any other path.
 */
export async function handleResponses(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ResponsesEndpointContext,
): Promise<boolean> {
  const path = new URL(req.url ?? "/", "http://local").pathname.replace(/\/+$/, "");
  if (path !== "/v1/responses") return false;
  if (req.method !== "POST") {
    sendApiError(
      res,
      405,
      "method_not_allowed",
      `${req.method} is not allowed on ${path}; use POST.`,
    );
    return true;
  }
  const auth = req.headers.authorization;
  const key = auth?.startsWith("Bearer ") ? auth.slice(7).trim() : undefined;
  if (!key || (ctx.apiKey !== undefined && key !== ctx.apiKey)) {
    sendApiError(res, 401, "invalid_api_key", "Incorrect API key provided to the local server.");
    return true;
  }
  let body: ResponseCreateParamsNonStreaming;
  try {
    const parsed = await readJson(req);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new TypeError();
    body = parsed as ResponseCreateParamsNonStreaming;
  } catch (error) {
    if (error instanceof RangeError)
      sendApiError(res, 413, "request_too_large", "The request body is too large.");
    else sendApiError(res, 400, "invalid_json", "The request body is not a JSON object.");
    return true;
  }
  // Answers 400 and says the request was handled.
  const refuse = (message: string, param: string | null): true => {
    sendApiError(res, 400, param ? "invalid_value" : "invalid_request", message, param);
    return true;
  };
  if (typeof body.model !== "string" || !body.model)
    return refuse("Missing required parameter: 'model'.", "model");
  if (body.previous_response_id)
    return refuse(
      "The local server keeps no responses: send the whole input (store: false).",
      "previous_response_id",
    );
  if (typeof body.input !== "string" && !Array.isArray(body.input))
    return refuse("Missing required parameter: 'input'.", "input");
  const items = inputItems(body.input);
  const problem = inputProblem(items);
  if (problem) return refuse(problem, "input");
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const nowSeconds = Math.floor(Date.now() / 1000);
  const deps = { model: ctx.model, ids, today: ctx.today(), nowSeconds, signal: abort.signal };
  if ((body as { stream?: unknown }).stream === true) {
    // Streamed: created and in_progress at once, the output as the model produced it, then completed.
    const id = ids.next("resp");
    const events = new ResponseEventStream(res);
    events.start(responseShell(body, id, nowSeconds));
    const response = await respond(body, items, { ...deps, id });
    ctx.count++;
    events.finish(response);
    return true;
  }
  const response = await respond(body, items, deps);
  ctx.count++;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(response));
  return true;
}
