import type { IncomingMessage, ServerResponse } from "node:http";
import { validateAgainstSchema } from "../conformance/validate.ts";
import { sendApiError, sendEmpty } from "./api-error.ts";
import type { ClientSecrets } from "./client-secrets.ts";
import type { CallRegistry } from "./registry.ts";
import { sdpAnswer, sdpOfferProblem } from "./sdp.ts";

type Json = Record<string, unknown>;

export interface HttpApiContext {
  calls: CallRegistry;
  secrets: ClientSecrets;
  /** When set, only this bearer key (or a live client secret where the API takes one) is accepted. */
  apiKey: string | undefined;
  modelName: string;
}

const CALL_PATH = /^\/v1\/realtime\/calls\/([^/]+)\/(accept|reject|refer|hangup)\/?$/;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function bearer(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith("Bearer ") ? auth.slice("Bearer ".length).trim() : undefined;
}

function parseJson(body: Buffer): Json | undefined | "invalid" {
  if (body.length === 0) return undefined;
  try {
    const value = JSON.parse(body.toString("utf8")) as unknown;
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Json)
      : "invalid";
  } catch {
    return "invalid";
  }
}

/** The spec's problems with a body, as one message (empty when valid). */
function problems(schema: string, value: unknown): string {
  return validateAgainstSchema(schema, value).join("; ");
}

/**
 * The REST side of the API that calls need: the calls endpoints, `POST /v1/realtime/calls` (WebRTC, unified
 * interface) and `POST /v1/realtime/client_secrets`. Returns false for any other path.
 */
export async function handleHttpApi(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HttpApiContext,
): Promise<boolean> {
  const path = new URL(req.url ?? "/", "http://local").pathname;
  const call = CALL_PATH.exec(path);
  const known = call || path === "/v1/realtime/calls" || path === "/v1/realtime/client_secrets";
  if (!known) return false;
  if (req.method !== "POST") {
    sendApiError(
      res,
      405,
      "method_not_allowed",
      `${req.method} is not allowed on ${path}; use POST.`,
    );
    return true;
  }
  const key = bearer(req);
  const secret = key?.startsWith("ek_") ? ctx.secrets.lookup(key) : undefined;
  const keyOk = ctx.apiKey === undefined || key === ctx.apiKey;
  // Only creating a WebRTC call takes a client secret; everything else needs the API key.
  const secretOk = path === "/v1/realtime/calls" && secret !== undefined && secret !== "expired";
  if (!key || !(keyOk || secretOk)) {
    sendApiError(
      res,
      401,
      "invalid_api_key",
      "Incorrect API key provided to the local Realtime server.",
    );
    return true;
  }
  const body = await readBody(req);
  if (call) callEndpoint(res, ctx, decodeURIComponent(call[1] ?? ""), call[2] ?? "", body);
  else if (path === "/v1/realtime/calls") {
    await createCall(
      req,
      res,
      ctx,
      body,
      secret && secret !== "expired" ? secret.session : undefined,
    );
  } else createClientSecret(res, ctx, body);
  return true;
}

function callEndpoint(
  res: ServerResponse,
  ctx: HttpApiContext,
  callId: string,
  action: string,
  raw: Buffer,
): void {
  const call = ctx.calls.get(callId);
  // A call that ended (hung up, dropped unanswered) is as gone as one that never was.
  if (!call || call.state === "ended") {
    sendApiError(res, 404, "call_id_not_found", `Call with id '${callId}' not found.`, "call_id");
    return;
  }
  const body = parseJson(raw);
  if (body === "invalid") {
    sendApiError(res, 400, "invalid_json", "The request body is not a JSON object.");
    return;
  }
  if (action === "hangup") {
    ctx.calls.end(call, "hangup");
    sendEmpty(res);
    return;
  }
  if (action === "accept" || action === "reject") {
    if (call.kind !== "sip" || call.state !== "ringing") {
      sendApiError(
        res,
        400,
        "call_not_ringing",
        `Call '${callId}' is not an incoming SIP call waiting for an answer.`,
      );
      return;
    }
    const schema =
      action === "accept" ? "RealtimeSessionCreateRequestGA" : "RealtimeCallRejectRequest";
    const bad = problems(schema, body ?? (action === "accept" ? undefined : {}));
    if (bad || (action === "accept" && !body)) {
      sendApiError(
        res,
        400,
        "invalid_request_error",
        bad || "The accept body (a session config) is required.",
      );
      return;
    }
    if (action === "accept") ctx.calls.accept(call, body as Json);
    else ctx.calls.reject(call, Number((body as Json | undefined)?.status_code ?? 603));
    sendEmpty(res);
    return;
  }
  // refer
  if (call.kind !== "sip") {
    sendApiError(res, 400, "not_a_sip_call", "Only SIP calls can be transferred with REFER.");
    return;
  }
  const bad = problems("RealtimeCallReferRequest", body ?? {});
  if (bad) {
    sendApiError(res, 400, "invalid_request_error", bad, "target_uri");
    return;
  }
  const target = String((body as Json).target_uri);
  if (!/^(sip|sips|tel):\S+$/i.test(target)) {
    sendApiError(
      res,
      400,
      "invalid_target_uri",
      `target_uri must be a sip:, sips: or tel: URI (got "${target}").`,
      "target_uri",
    );
    return;
  }
  ctx.calls.refer(call, target);
  sendEmpty(res);
  // The transferee takes the call over: OpenAI's leg ends right after the 200.
  setImmediate(() => ctx.calls.end(call, "transferred"));
}

async function createCall(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HttpApiContext,
  raw: Buffer,
  secretSession: Json | undefined,
): Promise<void> {
  const type = String(req.headers["content-type"] ?? "");
  let sdp: string;
  let session: Json | undefined = secretSession;
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), {
        headers: { "content-type": type },
      }).formData();
    } catch {
      sendApiError(res, 400, "invalid_request_error", "The multipart body could not be parsed.");
      return;
    }
    const sdpPart = form.get("sdp");
    sdp = typeof sdpPart === "string" ? sdpPart : sdpPart ? await sdpPart.text() : "";
    const sessionPart = form.get("session");
    if (sessionPart !== null) {
      const parsed = parseJson(
        Buffer.from(typeof sessionPart === "string" ? sessionPart : await sessionPart.text()),
      );
      if (parsed === "invalid" || parsed === undefined) {
        sendApiError(res, 400, "invalid_json", "The session part is not a JSON object.", "session");
        return;
      }
      session = parsed;
    }
    const bad = problems("RealtimeCallCreateRequest", { sdp, ...(session ? { session } : {}) });
    if (bad) {
      sendApiError(res, 400, "invalid_request_error", bad, "session");
      return;
    }
  } else if (type.startsWith("application/sdp")) {
    sdp = raw.toString("utf8");
  } else {
    sendApiError(
      res,
      400,
      "invalid_request_error",
      "Send the SDP offer as application/sdp, or multipart/form-data with sdp and session parts.",
    );
    return;
  }
  const problem = sdpOfferProblem(sdp);
  if (problem) {
    sendApiError(res, 400, "invalid_offer", `Invalid SDP offer: ${problem}.`, "sdp");
    return;
  }
  const call = ctx.calls.create("webrtc", session ?? { type: "realtime", model: ctx.modelName });
  res.writeHead(201, {
    "content-type": "application/sdp",
    location: `/v1/realtime/calls/${call.id}`,
  });
  res.end(sdpAnswer(sdp));
}

function createClientSecret(res: ServerResponse, ctx: HttpApiContext, raw: Buffer): void {
  const body = parseJson(raw);
  if (body === "invalid") {
    sendApiError(res, 400, "invalid_json", "The request body is not a JSON object.");
    return;
  }
  const bad = problems("RealtimeCreateClientSecretRequest", body ?? {});
  if (bad) {
    sendApiError(res, 400, "invalid_request_error", bad);
    return;
  }
  const seconds = Number((body?.expires_after as Json | undefined)?.seconds ?? 600);
  const response = ctx.secrets.mint(seconds, body?.session as Json | undefined, ctx.modelName);
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(response));
}
