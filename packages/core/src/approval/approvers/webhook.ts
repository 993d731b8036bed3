import type { ApprovalRequest, Approver } from "../approver.ts";
import { argsDigest } from "../binding.ts";
import type { ApprovalCallbacks } from "../callbacks.ts";
import { parseDecisionBody } from "../decision-body.ts";
import { ApprovalError } from "../errors.ts";
import { signedHeaders } from "../signature.ts";

export interface WebhookApproverOptions {
  /** Where approval requests are POSTed. */
  url: string;
  /** Shared secret (`whsec_<base64>`, or any string) signing requests and verifying callbacks (Standard Webhooks). */
  secret: string;
  /** Needed when the webhook may answer "pending" and decide later through a callback. */
  callbacks?: ApprovalCallbacks;
  /** Extra request headers (e.g. an API key for your approval service; never logged). */
  headers?: Record<string, string>;
  name?: string;
}

/** The JSON body POSTed for each approval request. */
export interface WebhookApprovalPayload {
  type: "approval.requested";
  id: string;
  session: string;
  call_id: string;
  kind: "function" | "mcp";
  tool: string;
  server_label?: string;
  arguments: unknown;
  /** `sha256:<hex>` of `arguments` as canonical JSON; a callback echoes it with `id`, `call_id` and `tool`. */
  args_digest: string;
  reason: string;
  expires_at: string;
  /** Present when callbacks are configured: POST the decision here later if you answer "pending". */
  callback_url?: string;
}

/**
 * Asks an HTTP endpoint. The request is signed with the Standard Webhooks scheme (`webhook-id` = the approval id,
 * `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`). The endpoint
 * answers `{"decision": "approve" | "deny", "reason"?}` at once, or `{"decision": "pending"}` (or 202) and POSTs
 * a signed decision naming the request (`callbackBody`) to `callback_url` later.
 *
 * @example
 * webhookApprover({ url: "https://ops.example.com/parley/approve", secret: process.env.APPROVAL_SECRET!, callbacks })
 */
export function webhookApprover(options: WebhookApproverOptions): Approver {
  return {
    name: options.name ?? "webhook",
    async ask(request) {
      const payload = webhookPayload(request, options.callbacks);
      const body = JSON.stringify(payload);
      // Register before sending: a fast reviewer's callback may arrive before the POST's own response.
      const later = options.callbacks?.expect(request, request.signal);
      later?.catch(() => {});
      try {
        const res = await fetch(options.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...options.headers,
            ...signedHeaders(options.secret, request.id, body),
          },
          body,
          signal: request.signal,
        });
        const text = await res.text();
        if (!res.ok)
          throw new ApprovalError(
            "approval_webhook_failed",
            `approval webhook answered HTTP ${res.status}`,
          );
        const decision =
          res.status === 202 && text.trim() === ""
            ? "pending"
            : parseDecisionBody(safeJson(text), "approval webhook response");
        if (decision !== "pending") return decision;
        if (!later) {
          throw new ApprovalError(
            "approval_webhook_pending",
            "approval webhook answered pending but no callbacks are configured",
          );
        }
        return await later;
      } finally {
        options.callbacks?.forget(request.id);
      }
    },
  };
}

function webhookPayload(
  request: ApprovalRequest,
  callbacks: ApprovalCallbacks | undefined,
): WebhookApprovalPayload {
  return {
    type: "approval.requested",
    id: request.id,
    session: request.sessionId,
    call_id: request.callId,
    kind: request.kind,
    tool: request.tool,
    ...(request.serverLabel ? { server_label: request.serverLabel } : {}),
    arguments: request.arguments,
    args_digest: argsDigest(request.arguments),
    reason: request.reason,
    expires_at: new Date(request.expiresAt).toISOString(),
    ...(callbacks ? { callback_url: callbacks.urlFor(request.id) } : {}),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
