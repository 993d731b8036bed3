import { afterEach, describe, expect, it } from "vitest";
import type { ApprovalDecision } from "./approver.ts";
import { bindingOf, callbackBody } from "./binding.ts";
import { ApprovalCallbacks } from "./callbacks.ts";
import { parseDecisionBody } from "./decision-body.ts";
import { signedHeaders } from "./signature.ts";

const SECRET = `whsec_${Buffer.from("callbacks test secret").toString("base64")}`;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function listening(now?: () => number) {
  const callbacks = new ApprovalCallbacks({ secret: SECRET, ...(now ? { now } : {}) });
  await callbacks.listen();
  closers.push(() => callbacks.close());
  return callbacks;
}

const small = { id: "apr_small", callId: "call_a", tool: "refund", arguments: { amount: 10 } };
const large = { id: "apr_large", callId: "call_b", tool: "refund", arguments: { amount: 5000 } };

async function post(
  url: string,
  body: unknown,
  options: { id?: string; secret?: string; nowMs?: number } = {},
) {
  const raw = JSON.stringify(body);
  const res = await fetch(url, {
    method: "POST",
    headers: signedHeaders(options.secret ?? SECRET, options.id ?? "msg_1", raw, options.nowMs),
    body: raw,
  });
  return res.status;
}

describe("approval callbacks: a signed decision decides only the request it names, once", () => {
  it("a signed approval for a £10 refund replayed against a pending £5,000 refund is refused", async () => {
    const callbacks = await listening();
    const decided: ApprovalDecision[] = [];
    for (const r of [small, large])
      callbacks.expect(r, new AbortController().signal).then((d) => decided.push(d));
    const approveSmall = callbackBody(bindingOf(small), { decision: "approve" });

    // The reviewer's genuine approval of the small refund, captured and sent to the large refund's URL.
    expect(await post(callbacks.urlFor(large.id), approveSmall, { id: "msg_1" })).toBe(400);
    // Under a fresh message id it is still the small refund's body: refused.
    expect(await post(callbacks.urlFor(large.id), approveSmall, { id: "msg_2" })).toBe(400);
    // Same binding with other arguments (the digest differs): refused.
    const forged = callbackBody(bindingOf({ ...small, arguments: { amount: 5000 } }), {
      decision: "approve",
    });
    expect(await post(callbacks.urlFor(small.id), forged, { id: "msg_3" })).toBe(400);
    expect(decided).toEqual([]);

    expect(await post(callbacks.urlFor(small.id), approveSmall, { id: "msg_4" })).toBe(200);
    await expect.poll(() => decided).toEqual([{ approved: true }]);
  });

  it("each webhook-id is accepted once, and stale or future timestamps are refused", async () => {
    let now = Date.UTC(2026, 10, 25, 10, 0);
    const callbacks = await listening(() => now);
    const signal = new AbortController().signal;
    const pending = callbacks.expect(large, signal);
    const body = callbackBody(bindingOf(large), { decision: "pending" });
    expect(await post(callbacks.urlFor(large.id), body, { id: "msg_p", nowMs: now })).toBe(202);
    // The same signed message again: a replay.
    expect(await post(callbacks.urlFor(large.id), body, { id: "msg_p", nowMs: now })).toBe(409);
    const approve = callbackBody(bindingOf(large), { approved: true });
    expect(await post(callbacks.urlFor(large.id), approve, { id: "m", nowMs: now - 301_000 })).toBe(
      401,
    );
    expect(await post(callbacks.urlFor(large.id), approve, { id: "m", nowMs: now + 301_000 })).toBe(
      401,
    );
    expect(await post(callbacks.urlFor(large.id), approve, { id: "m", secret: "other" })).toBe(401);
    now += 1000;
    expect(await post(callbacks.urlFor(large.id), approve, { id: "m", nowMs: now })).toBe(200);
    await expect(pending).resolves.toEqual({ approved: true });
  });

  it("an ambiguous decision is refused, never read as an approval", async () => {
    const callbacks = await listening();
    let settled: ApprovalDecision | undefined;
    callbacks.expect(large, new AbortController().signal).then((d) => {
      settled = d;
    });
    const url = callbacks.urlFor(large.id);
    const binding = bindingOf(large);
    let n = 0;
    for (const decision of [
      { approved: true, decision: "deny" },
      { approved: false, decision: "approve" },
      { approved: "true" },
      { approved: 1 },
      { decision: "yes" },
      {},
    ]) {
      expect(await post(url, { ...binding, ...decision }, { id: `msg_${++n}` })).toBe(400);
    }
    expect(settled).toBeUndefined();
  });
});

describe("parseDecisionBody", () => {
  it("accepts one clear decision, or both fields when they agree", () => {
    expect(parseDecisionBody({ decision: "approve", by: "al" }, "t")).toEqual({
      approved: true,
      by: "al",
    });
    expect(parseDecisionBody({ approved: false, reason: "no" }, "t")).toEqual({
      approved: false,
      reason: "no",
    });
    expect(parseDecisionBody({ approved: true, decision: "approved" }, "t")).toEqual({
      approved: true,
    });
    expect(parseDecisionBody({ decision: "pending" }, "t")).toBe("pending");
  });

  it("refuses contradictions and non-booleans without echoing the body's values", () => {
    for (const body of [
      { approved: true, decision: "deny" },
      { approved: true, decision: "pending" },
      { approved: "yes" },
      { decision: "__proto__" },
      [true],
      null,
    ]) {
      expect(() => parseDecisionBody(body, "t")).toThrow(/expected exactly one of/);
    }
    expect(() => parseDecisionBody({ approved: "sk-live-secret-value" }, "t")).not.toThrow(
      /sk-live/,
    );
  });
});

describe("signatures interoperate", () => {
  it("a request signed by signedHeaders verifies with the openai package's Standard Webhooks verifier", async () => {
    const { default: OpenAI } = await import("openai");
    const verifier = new OpenAI({ apiKey: "unused" });
    const body = JSON.stringify({ type: "approval.requested", id: "apr_1" });
    for (const secret of [SECRET, "plain passphrase", "whsec_not*base64"]) {
      const headers = signedHeaders(secret, "apr_1", body);
      await expect(
        verifier.webhooks.verifySignature(body, headers, secret),
      ).resolves.toBeUndefined();
      await expect(
        verifier.webhooks.verifySignature(`${body} `, headers, secret),
      ).rejects.toThrow();
    }
  });
});
