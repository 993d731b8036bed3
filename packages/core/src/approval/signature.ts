import { timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";
import type { Webhook } from "standardwebhooks";

let WebhookClass: typeof Webhook | undefined;

/** Standard Webhooks headers (https://www.standardwebhooks.com): a unique message id, unix seconds, `v1,<base64>`. */
export const WEBHOOK_ID_HEADER = "webhook-id";
export const TIMESTAMP_HEADER = "webhook-timestamp";
export const SIGNATURE_HEADER = "webhook-signature";

/** How far a signed timestamp may be from now, either way (the Standard Webhooks default). */
export const SIGNATURE_TOLERANCE_SEC = 300;

/**
 * A `whsec_<base64>` secret is base64-decoded, as the Standard Webhooks scheme says; any other string is used as raw
 * bytes, so a plain passphrase still works. Decoding is Node's (lenient), exactly as the `openai` package's
 * verifier and the local server's signer do it, so all three agree on every secret.
 */
function webhookFor(secret: string): Webhook {
  const key = secret.startsWith("whsec_")
    ? Buffer.from(secret.slice("whsec_".length), "base64")
    : Buffer.from(secret, "utf8");
  // Loaded on first use (~10 ms of CPU with its hashing and base64 modules): only approvals over webhooks sign.
  WebhookClass ??= (
    createRequire(import.meta.url)("standardwebhooks") as { Webhook: typeof Webhook }
  ).Webhook;
  return new WebhookClass(new Uint8Array(key), { format: "raw" });
}

/**
 * Signs a webhook body under message id `id`: HMAC-SHA256 over `"<id>.<timestamp>.<body>"`. The id and timestamp are
 * part of the signed text, so a captured request can be neither replayed later nor passed off under another id.
 *
 * @example
 * const headers = signedHeaders("whsec_…", "msg_1", body); // { "webhook-id": "msg_1", "webhook-timestamp": "1764064800", "webhook-signature": "v1,…" }
 */
export function signedHeaders(
  secret: string,
  id: string,
  body: string,
  nowMs = Date.now(),
): Record<string, string> {
  const seconds = Math.floor(nowMs / 1000);
  return {
    [WEBHOOK_ID_HEADER]: id,
    [TIMESTAMP_HEADER]: String(seconds),
    [SIGNATURE_HEADER]: webhookFor(secret).sign(id, new Date(seconds * 1000), body),
  };
}

/** The three Standard Webhooks headers as received (a header may be missing). */
export interface SignatureHeaders {
  [WEBHOOK_ID_HEADER]?: string | undefined;
  [TIMESTAMP_HEADER]?: string | undefined;
  [SIGNATURE_HEADER]?: string | undefined;
}

/**
 * True when one of the `v1,` signatures in the headers signs `"<id>.<timestamp>.<body>"` with `secret` and the
 * timestamp is within `toleranceSec` of now. It does not remember ids: a receiver must accept each id once
 * (`ApprovalCallbacks` does).
 *
 * @example
 * verifySignature(secret, { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": sig }, rawBody)
 */
export function verifySignature(
  secret: string,
  headers: SignatureHeaders,
  body: string,
  options: { toleranceSec?: number; nowMs?: number } = {},
): boolean {
  const id = headers[WEBHOOK_ID_HEADER];
  const timestamp = headers[TIMESTAMP_HEADER];
  const signatures = headers[SIGNATURE_HEADER];
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;
  const age = Math.abs((options.nowMs ?? Date.now()) / 1000 - Number(timestamp));
  if (age > (options.toleranceSec ?? SIGNATURE_TOLERANCE_SEC)) return false;
  const expected = Buffer.from(
    webhookFor(secret).sign(id, new Date(Number(timestamp) * 1000), body),
  );
  return signatures.split(" ").some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
