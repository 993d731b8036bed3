import type { IncomingMessage } from "node:http";

/**
 * Why the API refuses a WebSocket it has already upgraded. The API answers 101 to every upgrade, then sends one
 * `error` event and closes in the same millisecond: close code 3000 for authentication, 4000 for the request's shape,
 * with `error.type[.code]` as the close reason (recorded live; see docs/local-realtime.md, "Connecting").
 */
export interface ConnectRefusal {
  /** `null` for a missing key: the API sends no code then. */
  code: string | null;
  message: string;
  closeCode: 3000 | 4000;
}

/** Models the API serves over /v1/realtime (realtime families; a transcription intent is not simulated). */
const REALTIME_MODEL = /^gpt-(4o-(mini-)?)?realtime(-[\w.-]+)?$/;

/**
 * The refusal for an upgrade, in the order the API checks (auth, then the beta header, then the model), or
 * undefined when the session may start. `requiredKey` is the server's `apiKey` option: without it any key, or none,
 * is accepted (offline clients send none).
 *
 * @example
 * connectRefusal(request, undefined) // { code: "missing_model", closeCode: 4000, … } for /v1/realtime without ?model=
 */
export function connectRefusal(
  request: IncomingMessage,
  url: URL,
  presented: string | undefined,
  requiredKey: string | undefined,
): ConnectRefusal | undefined {
  if (requiredKey !== undefined) {
    if (presented === undefined || presented === "")
      return {
        code: null,
        message: "Missing bearer or basic authentication in header",
        closeCode: 3000,
      };
    if (presented !== requiredKey)
      return {
        code: "invalid_api_key",
        message: `Incorrect API key provided: ${masked(presented)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        closeCode: 3000,
      };
  }
  const beta = String(request.headers["openai-beta"] ?? "");
  if (/\brealtime=v1\b/.test(beta))
    return {
      code: "beta_api_shape_disabled",
      message:
        "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.",
      closeCode: 4000,
    };
  if (url.searchParams.has("call_id")) return undefined;
  const model = url.searchParams.get("model");
  if (!model)
    return {
      code: "missing_model",
      message:
        "You must provide a model parameter, for example wss://api.openai.com/v1/realtime?model=gpt-realtime",
      closeCode: 4000,
    };
  if (!REALTIME_MODEL.test(model))
    return {
      code: "invalid_model",
      message: `Model "${model}" is not supported in realtime mode.`,
      closeCode: 4000,
    };
  return undefined;
}

/** The API echoes a wrong key masked: its first 8 characters, then the last 4. */
function masked(key: string): string {
  return key.length <= 12 ? "***" : `${key.slice(0, 8)}***…${key.slice(-4)}`;
}
