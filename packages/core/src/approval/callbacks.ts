import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApprovalDecision } from "./approver.ts";
import { parseDecisionBody } from "./decision-body.ts";
import { ApprovalError } from "./errors.ts";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from "./signature.ts";

const MAX_BODY = 64 * 1024;

export interface ApprovalCallbacksOptions {
  /** Shared secret: callbacks must be signed like webhook requests (see signature.ts). */
  secret: string;
  /** Path prefix the callbacks are served under. Default `/parley/approvals`. */
  path?: string;
  /** The public base URL (scheme://host:port) when behind a proxy; default the address `listen` bound. */
  publicUrl?: string;
}

/**
 * Receives decisions that arrive after a webhook answered "pending": `POST <path>/<request id>` with a signed JSON
 * body `{"approved": true}` or `{"decision": "deny", "reason": "…"}`. Mount `handle` in your own HTTP server, or `listen`.
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
  readonly #waiting = new Map<string, (decision: ApprovalDecision) => void>();

  constructor(options: ApprovalCallbacksOptions) {
    this.#secret = options.secret;
    this.#path = (options.path ?? "/parley/approvals").replace(/\/$/, "");
    this.#base = options.publicUrl?.replace(/\/$/, "");
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

  /** Waits for the callback of request `id`; rejects when `signal` aborts. Register before sending the webhook. */
  expect(id: string, signal: AbortSignal): Promise<ApprovalDecision> {
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
      this.#waiting.set(id, (decision) => {
        signal.removeEventListener("abort", onAbort);
        this.#waiting.delete(id);
        resolve(decision);
      });
    });
  }

  /** Stops waiting for `id` (the webhook decided at once). */
  forget(id: string): void {
    this.#waiting.delete(id);
  }

  /**
   * Handles one HTTP request. Returns false (and leaves `res` alone) when the path is not a callback path, so it
   * can sit in front of an app's own routes. Answers 200 decided, 400 bad body, 401 bad signature, 404 unknown or expired id.
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
    const ts = header(req, TIMESTAMP_HEADER);
    const sig = header(req, SIGNATURE_HEADER);
    if (!verifySignature(this.#secret, ts, sig, body))
      return reply(res, 401, { error: "bad or missing signature" });
    const resolve = this.#waiting.get(id);
    if (!resolve)
      return reply(res, 404, {
        error: "no pending approval with this id (decided, expired or unknown)",
      });
    let decision: ApprovalDecision | "pending";
    try {
      decision = parseDecisionBody(JSON.parse(body), "approval callback");
    } catch (error) {
      return reply(res, 400, { error: (error as Error).message });
    }
    if (decision === "pending") return reply(res, 202, { ok: true });
    resolve(decision);
    return reply(res, 200, { ok: true });
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
