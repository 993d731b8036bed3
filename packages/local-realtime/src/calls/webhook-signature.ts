import { createHmac, randomBytes } from "node:crypto";

/** The key of a Standard Webhooks secret: base64 after `whsec_`, else the secret's UTF-8 bytes (as openai-node). */
function secretKey(secret: string): Buffer {
  return secret.startsWith("whsec_")
    ? Buffer.from(secret.slice("whsec_".length), "base64")
    : Buffer.from(secret, "utf8");
}

/** The three Standard Webhooks headers for a body: `webhook-signature` is `v1,` + HMAC-SHA256 of `id.timestamp.body`. */
export function signWebhook(
  body: string,
  secret: string,
  options: { id?: string; timestamp?: number } = {},
): { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string } {
  const id = options.id ?? `wh_${randomBytes(12).toString("hex")}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", secretKey(secret))
    .update(`${id}.${timestamp}.${body}`)
    .digest("base64");
  return {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${signature}`,
  };
}

/** A fresh `whsec_` secret (32 random bytes), for tests and `agent sim call`. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}
