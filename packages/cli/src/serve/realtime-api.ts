import OpenAI, { APIError } from "openai";
import type { CallAcceptParams } from "openai/resources/realtime/calls";
import type {
  ClientSecretCreateParams,
  ClientSecretCreateResponse,
} from "openai/resources/realtime/client-secrets";
import type { RealtimeSessionCreateRequest } from "openai/resources/realtime/realtime";

export const DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** A call endpoint answered with an error status (404: the call is gone). */
export class RealtimeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "RealtimeApiError";
  }
}

/**
 * The REST side of the Realtime API that serve uses: the calls endpoints and client secrets through the `openai`
 * client, and `POST /realtime/calls` (multipart, which the client has no method for) through fetch.
 */
export class RealtimeApi {
  readonly #client: OpenAI;
  readonly baseUrl: string;

  constructor(
    readonly apiKey: string,
    baseUrl: string = DEFAULT_BASE_URL,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    // One retry at most: a call rings for seconds, not minutes.
    this.#client = new OpenAI({ apiKey, baseURL: this.baseUrl, maxRetries: 1, timeout: 10_000 });
  }

  readonly #regions = new Map<string, RealtimeApi>();

  /**
   * The same API with another base (an agent's `apiBase`, e.g. EU data residency), same key; this one when `base`
   * is undefined or the same. Instances are kept, one per base.
   */
  forBase(base: string | undefined): RealtimeApi {
    const wanted = base?.replace(/\/+$/, "");
    if (!wanted || wanted === this.baseUrl) return this;
    let api = this.#regions.get(wanted);
    if (!api) {
      api = new RealtimeApi(this.apiKey, wanted);
      this.#regions.set(wanted, api);
    }
    return api;
  }

  /** The sideband WebSocket base (`wss://api.openai.com/v1/realtime`; ws:// for an http base). */
  get websocketUrl(): string {
    return `${this.baseUrl.replace(/^http/, "ws")}/realtime`;
  }

  accept(callId: string, body: CallAcceptParams): Promise<void> {
    return this.#wrap(this.#client.realtime.calls.accept(callId, body));
  }

  reject(callId: string, status: number): Promise<void> {
    return this.#wrap(this.#client.realtime.calls.reject(callId, { status_code: status }));
  }

  hangup(callId: string): Promise<void> {
    return this.#wrap(this.#client.realtime.calls.hangup(callId));
  }

  clientSecret(body: ClientSecretCreateParams): Promise<ClientSecretCreateResponse> {
    return this.#wrap(this.#client.realtime.clientSecrets.create(body));
  }

  /** Creates a WebRTC call for a browser's SDP offer with our key: the answer SDP and the call id (from `Location`). */
  async createCall(
    sdp: string,
    session: RealtimeSessionCreateRequest,
  ): Promise<{ callId: string; answer: string }> {
    const form = new FormData();
    form.set("sdp", sdp);
    form.set("session", JSON.stringify(session));
    const response = await fetch(`${this.baseUrl}/realtime/calls`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.apiKey}` },
      body: form,
    });
    const text = await response.text();
    if (response.status !== 201) throw new RealtimeApiError(response.status, apiMessage(text));
    const callId = (response.headers.get("location") ?? "").split("/").pop() ?? "";
    if (!callId.startsWith("rtc_"))
      throw new RealtimeApiError(502, "the API answered without a call id in Location");
    return { callId, answer: text };
  }

  async #wrap<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      if (error instanceof APIError) throw new RealtimeApiError(error.status ?? 0, error.message);
      throw new RealtimeApiError(0, (error as Error).message);
    }
  }
}

function apiMessage(text: string): string {
  try {
    return (
      (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text.slice(0, 300)
    );
  } catch {
    return text.slice(0, 300);
  }
}
