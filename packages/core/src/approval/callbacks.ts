import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApprovalDecision, ApprovalRequest } from "./approver.ts";
import { bindingMismatch, bindingOf, type CallBinding } from "./binding.ts";
import { parseDecisionBody } from "./decision-body.ts";
import { ApprovalError } from "./errors.ts";
import {
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SEC,
  TIMESTAMP_HEADER,
  verifySignature,
  WEBHOOK_ID_HEADER,
} from "./signature.ts";

const MAX_BODY = 64 * 1024;

export interface ApprovalCallbacksOptions {
  /** Shared secret (`whsec_<base64>`, or any string): callbacks are signed with the Standard Webhooks scheme. */
  secret: string;
  /** Path prefix the callbacks are served under. Default `/parley/approvals`. */
  path?: string;
  /** The public base URL (scheme://host:port) when behind a proxy; default the address `listen` bound. */
  publicUrl?: string;
  /** Wall clock (epoch ms) for the signature's timestamp check; tests pass their own. */
  now?: () => number;
}

/**
 * Receives decisions that arrive after a webhook answered "pending": `POST <path>/<request id>` with a JSON body
 * signed with the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The body names
 * the request it decides (`id`, `call_id`, `tool`, `args_digest`, copied from the webhook payload) next to one
 * decision (`{"decision": "approve"}` or `{"approved": false, "reason": "…"}`), so a signed decision for one request
 * cannot decide another; each `webhook-id` is accepted once. Mount `handle` in your own HTTP server, or `listen`.
 *
 * @example
 * const callbacks = new ApprovalCallbacks({ secret: process.env.APPROVAL_SECRET! });
 * await callbacks.listen({ port: 8787 });
 * const approver = webhookApprover({ url: "https://ops.example.com/approve", secret, callbacks });
 */
export class ApprovalCallbacks {
  readonly #secret: string;
  readonly #path: string;
  #base: string | undefined;
  #server: Server | undefined;
  readonly #waiting = new Map<
    string,
    { binding: CallBinding; resolve: (decision: ApprovalDecision) => void }
  >();
  /** Message ids already accepted, with when they stop mattering (their timestamp falls out of the tolerance). */
  readonly #seen = new Map<string, number>();
  readonly #now: () => number;

  constructor(options: ApprovalCallbacksOptions) {
    this.#secret = options.secret;
    this.#path = (options.path ?? "/parley/approvals").replace(/\/$/, "");
    this.#base = options.publicUrl?.replace(/\/$/, "");
    this.#now = options.now ?? Date.now;
  }

  /** The URL a decision for request `id` is posted to. */
  urlFor(id: string): string {
    if (!this.#base)
      throw new ApprovalError(
        "approval_callbacks_not_listening",
        "approval callbacks: call listen() or pass publicUrl first",
      );
    return `${this.#base}${this.#path}/${encodeURIComponent(id)}`;
  }

  /**
   * Waits for the callback deciding `request`; rejects when `signal` aborts. Register before sending the webhook.
   * Only a body naming this request's id, call id, tool and arguments digest decides it.
   */
  expect(
    request: Pick<ApprovalRequest, "id" | "callId" | "tool" | "arguments">,
    signal: AbortSignal,
  ): Promise<ApprovalDecision> {
    const id = request.id;
    const binding = bindingOf(request);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(id);
        reject(signal.reason);
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.set(id, {
        binding,
        resolve: (decision) => {
          signal.removeEventListener("abort", onAbort);
          this.#waiting.delete(id);
          resolve(decision);
        },
      });
    });
  }

  /** Stops waiting for `id` (the webhook decided at once). */
  forget(id: string): void {
    this.#waiting.delete(id);
  }

  /**
   * Handles one HTTP request. Returns false (and leaves `res` alone) when the path is not a callback path, so it
   * can sit in front of an app's own routes. Answers 200 decided, 202 still pending, 400 bad body or a body naming
   * another request, 401 bad signature, 404 unknown or expired id, 409 a `webhook-id` already used.
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://local");
    if (!url.pathname.startsWith(`${this.#path}/`)) return false;
    if (req.method !== "POST") return reply(res, 405, { error: "use POST" });
    const id = decodeId(url.pathname.slice(this.#path.length + 1));
    if (id === undefined) return reply(res, 404, { error: "no pending approval with this id" });
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return reply(res, 413, { error: "body too large" });
    }
    const signed = {
      [WEBHOOK_ID_HEADER]: header(req, WEBHOOK_ID_HEADER),
      [TIMESTAMP_HEADER]: header(req, TIMESTAMP_HEADER),
      [SIGNATURE_HEADER]: header(req, SIGNATURE_HEADER),
    };
    const nowMs = this.#now();
    if (!verifySignature(this.#secret, signed, body, { nowMs }))
      return reply(res, 401, { error: "bad or missing signature" });
    const messageId = signed[WEBHOOK_ID_HEADER] as string;
    if (this.#alreadySeen(messageId, nowMs))
      return reply(res, 409, { error: "this webhook-id was already used" });
    const waiting = this.#waiting.get(id);
    if (!waiting)
      return reply(res, 404, {
        error: "no pending approval with this id (decided, expired or unknown)",
      });
    let decision: ApprovalDecision | "pending";
    try {
      const parsed: unknown = JSON.parse(body);
      const mismatch = bindingMismatch(parsed, waiting.binding);
      if (mismatch)
        return reply(res, 400, { error: `the body does not name this request: ${mismatch}` });
      decision = parseDecisionBody(parsed, "approval callback");
    } catch (error) {
      return reply(res, 400, { error: (error as Error).message });
    }
    this.#seen.set(messageId, nowMs + 2 * SIGNATURE_TOLERANCE_SEC * 1000);
    if (decision === "pending") return reply(res, 202, { ok: true });
    waiting.resolve(decision);
    return reply(res, 200, { ok: true });
  }

  /** True when `messageId` was accepted before; forgets ids whose timestamps can no longer verify anyway. */
  #alreadySeen(messageId: string, nowMs: number): boolean {
    for (const [seenId, until] of this.#seen) if (until < nowMs) this.#seen.delete(seenId);
    return this.#seen.has(messageId);
  }

  /** Serves the callbacks on their own server. Returns the base URL. Default host 127.0.0.1, port 0 (any free port). */
  async listen(options: { port?: number; host?: string } = {}): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).then(
        (handled) => handled || reply(res, 404, { error: "not found" }),
        () => reply(res, 500, { error: "internal error" }),
      );
    });
    const host = options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, resolve);
    });
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    this.#base ??= `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    return this.#base;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A malformed escape (`%E0%A4%A`) names no request; it must not throw out of `handle`. */
function decodeId(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return true;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
