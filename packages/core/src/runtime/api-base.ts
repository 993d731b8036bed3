import type {
  Response,
  ResponseCreateParamsNonStreaming,
} from "openai/resources/responses/responses";
import type { ResponsesClient } from "../delegate/host.ts";

/** The API's REST base; per-region bases (EU data residency: `https://eu.api.openai.com/v1`) replace it. */
export const OPENAI_API_BASE = "https://api.openai.com/v1";

/**
 * The API base a session uses, first set wins: `startSession({ apiBase })`, the agent file's `apiBase`, the
 * process's `PARLEY_API_BASE` (or the `openai` package's `OPENAI_BASE_URL`), then the default. The Realtime WebSocket, client secrets, SIP accept and delegate
 * tools' Responses calls all derive from it, so one setting keeps a session in one region.
 *
 * @example
 * apiBaseFor({ env: { PARLEY_API_BASE: "https://eu.api.openai.com/v1" } }) // "https://eu.api.openai.com/v1"
 */
export function apiBaseFor(sources: {
  option?: string | undefined;
  agent?: string | undefined;
  env?: Record<string, string | undefined>;
}): string {
  const env = sources.env ?? process.env;
  const base =
    sources.option ??
    sources.agent ??
    env.PARLEY_API_BASE ??
    env.OPENAI_BASE_URL ??
    OPENAI_API_BASE;
  return base.replace(/\/+$/, "");
}

/** The Realtime WebSocket endpoint of an API base (`https://eu.api.openai.com/v1` → `wss://eu.api.openai.com/v1/realtime`). */
export function realtimeUrlOf(apiBase: string): string {
  const url = new URL(`${apiBase.replace(/\/+$/, "")}/realtime`);
  url.protocol = url.protocol === "http:" ? "ws:" : "wss:";
  return url.toString();
}

/**
 * The REST base of a Realtime WebSocket URL (`ws://127.0.0.1:4100/v1/realtime?model=…` → `http://127.0.0.1:4100/v1`):
 * a session pointed at a local server sends its delegate tools' Responses calls there too.
 */
export function apiBaseOfRealtimeUrl(realtimeUrl: string): string {
  const url = new URL(realtimeUrl);
  url.protocol =
    url.protocol === "ws:" ? "http:" : url.protocol === "wss:" ? "https:" : url.protocol;
  url.search = "";
  url.pathname = url.pathname.replace(/\/realtime\/?$/, "");
  return url.toString().replace(/\/+$/, "");
}

/**
 * A Responses client for `apiBase` with `apiKey`, made of the `openai` package's own client (imported on first use,
 * so sessions without delegate tools never load it).
 *
 * @example
 * const client = responsesClient({ apiBase: "http://127.0.0.1:4100/v1", apiKey: "local" });
 * const response = await client.create({ model: "gpt-5.4", input: "hello" });
 */
export function responsesClient(options: {
  apiBase: string;
  apiKey: string;
  /** Start loading the `openai` package now (an agent with delegate tools), not on the first delegation. */
  warm?: boolean;
}): ResponsesClient {
  let client: Promise<{ responses: ResponsesClient }> | undefined;
  const load = (): Promise<{ responses: ResponsesClient }> => {
    client ??= import("openai").then(
      ({ default: OpenAI }) =>
        // Retries are the scheduler's business (timeout, one output): the client tries once.
        new OpenAI({ apiKey: options.apiKey, baseURL: options.apiBase, maxRetries: 0 }),
    );
    return client;
  };
  if (options.warm) load().catch(() => {}); // a failure is reported by the first create
  return {
    create(
      body: ResponseCreateParamsNonStreaming,
      request?: { signal?: AbortSignal },
    ): Promise<Response> {
      return load().then((c) => c.responses.create(body, request));
    },
  };
}
