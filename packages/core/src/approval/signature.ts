import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying the unix time (seconds) the body was signed at. */
export const TIMESTAMP_HEADER = "x-parley-timestamp";
/** Header carrying `v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the shared secret>`. */
export const SIGNATURE_HEADER = "x-parley-signature";

/**
 * Signs a webhook body. The timestamp is part of the signed text so a captured request cannot be replayed later.
 *
 * @example
 * const headers = signedHeaders("whsec_…", body); // { "x-parley-timestamp": "1764064800", "x-parley-signature": "v1=…" }
 */
export function signedHeaders(
  secret: string,
  body: string,
  nowMs = Date.now(),
): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `v1=${hmac(secret, timestamp, body)}`,
  };
}

/**
 * True when `signature` is a valid signature of `body` at `timestamp` and the timestamp is within `toleranceSec`.
 *
 * @example
 * verifySignature(secret, req.headers["x-parley-timestamp"], req.headers["x-parley-signature"], rawBody)
 */
export function verifySignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: string,
  options: { toleranceSec?: number; nowMs?: number } = {},
): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const age = Math.abs((options.nowMs ?? Date.now()) / 1000 - Number(timestamp));
  if (age > (options.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(`v1=${hmac(secret, timestamp, body)}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function hmac(secret: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}
