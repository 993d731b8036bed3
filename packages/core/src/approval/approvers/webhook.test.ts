import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { ApprovalRequest } from "../approver.ts";
import { argsDigest, callbackBody } from "../binding.ts";
import { ApprovalCallbacks } from "../callbacks.ts";
import {
  SIGNATURE_HEADER,
  signedHeaders,
  TIMESTAMP_HEADER,
  verifySignature,
  WEBHOOK_ID_HEADER,
} from "../signature.ts";
import { webhookApprover } from "./webhook.ts";

const SECRET = `whsec_${Buffer.from("test shared secret, 32 bytes long").toString("base64")}`;

interface Received {
  body: Record<string, unknown>;
  raw: string;
  headers: IncomingMessage["headers"];
}

/** A real approval service on loopback whose answers the test scripts. */
async function approvalService(
  answer: (
    r: Received,
  ) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>,
) {
  const received: Received[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const r = { body: JSON.parse(raw), raw, headers: req.headers };
    received.push(r);
    const { status, body } = await answer(r);
    res
      .writeHead(status, { "content-type": "application/json" })
      .end(body === undefined ? "" : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/approve`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function request(id: string, signal = new AbortController().signal): ApprovalRequest {
  return {
    id,
    kind: "function",
    tool: "refund",
    callId: "call_1",
    sessionId: "sess_1",
    arguments: { amount: 250 },
    reason: "args.amount > 100",
    expiresAt: Date.UTC(2026, 10, 25, 10, 1),
    signal,
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

let messages = 0;
async function postDecision(
  url: string,
  body: unknown,
  secret = SECRET,
  messageId = `msg_${++messages}`,
) {
  const raw = JSON.stringify(body);
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...signedHeaders(secret, messageId, raw) },
    body: raw,
  });
  return { status: res.status, body: await res.json() };
}

describe("webhook approver", () => {
  it("POSTs the call and its arguments, signed with Standard Webhooks over id, timestamp and body, and takes an immediate decision", async () => {
    const service = await approvalService(() => ({
      status: 200,
      body: { decision: "approve", by: "ops-bot" },
    }));
    cleanups.push(service.close);
    const approver = webhookApprover({
      url: service.url,
      secret: SECRET,
      headers: { "x-api-key": "k" },
    });
    const decision = await approver.ask(request("apr_1"));
    expect(decision).toEqual({ approved: true, by: "ops-bot" });
    const [r] = service.received;
    expect(r?.body).toEqual({
      type: "approval.requested",
      id: "apr_1",
      session: "sess_1",
      call_id: "call_1",
      kind: "function",
      tool: "refund",
      arguments: { amount: 250 },
      args_digest: argsDigest({ amount: 250 }),
      reason: "args.amount > 100",
      expires_at: "2026-11-25T10:01:00.000Z",
    });
    expect(r?.headers["x-api-key"]).toBe("k");
    const signed = {
      [WEBHOOK_ID_HEADER]: r?.headers[WEBHOOK_ID_HEADER] as string,
      [TIMESTAMP_HEADER]: r?.headers[TIMESTAMP_HEADER] as string,
      [SIGNATURE_HEADER]: r?.headers[SIGNATURE_HEADER] as string,
    };
    expect(signed[WEBHOOK_ID_HEADER]).toBe("apr_1");
    expect(signed[SIGNATURE_HEADER]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const raw = r?.raw ?? "";
    expect(verifySignature(SECRET, signed, raw)).toBe(true);
    expect(verifySignature("another secret", signed, raw)).toBe(false);
    expect(verifySignature(SECRET, signed, `${raw} `)).toBe(false);
    // The id is signed: the same signature under another id does not verify.
    expect(verifySignature(SECRET, { ...signed, [WEBHOOK_ID_HEADER]: "apr_2" }, raw)).toBe(false);
    const ts = Number(signed[TIMESTAMP_HEADER]);
    expect(verifySignature(SECRET, signed, raw, { nowMs: (ts + 301) * 1000 })).toBe(false);
    expect(verifySignature(SECRET, signed, raw, { nowMs: (ts - 301) * 1000 })).toBe(false);
    expect(verifySignature(SECRET, signed, raw, { nowMs: (ts + 299) * 1000 })).toBe(true);
  });

  it("takes a denial with its reason, and fails on an HTTP error or a body it cannot read", async () => {
    let next: { status: number; body?: unknown } = {
      status: 200,
      body: { approved: false, reason: "limit exceeded" },
    };
    const service = await approvalService(() => next);
    cleanups.push(service.close);
    const approver = webhookApprover({ url: service.url, secret: SECRET });
    expect(await approver.ask(request("apr_1"))).toEqual({
      approved: false,
      reason: "limit exceeded",
    });
    next = { status: 500, body: { oops: true } };
    await expect(approver.ask(request("apr_2"))).rejects.toMatchObject({
      code: "approval_webhook_failed",
    });
    next = { status: 200, body: { maybe: true } };
    await expect(approver.ask(request("apr_3"))).rejects.toMatchObject({
      code: "invalid_approval_response",
    });
  });

  it("answers pending, then the decision arrives later through the signed callback URL", async () => {
    const callbacks = new ApprovalCallbacks({ secret: SECRET });
    await callbacks.listen();
    cleanups.push(() => callbacks.close());
    const service = await approvalService(() => ({ status: 202 }));
    cleanups.push(service.close);
    const approver = webhookApprover({ url: service.url, secret: SECRET, callbacks });
    const pending = approver.ask(request("apr_7"));
    await expect.poll(() => service.received.length).toBe(1);
    const callbackUrl = service.received[0]?.body.callback_url as string;
    expect(callbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/parley\/approvals\/apr_7$/);

    expect((await postDecision(callbackUrl, { decision: "approve" }, "wrong secret")).status).toBe(
      401,
    );
    expect((await postDecision(`${callbackUrl}x`, { decision: "approve" })).status).toBe(404);
    // A malformed escape in the id is an unknown id, not a server error.
    expect((await postDecision(`${callbackUrl}%E0%A4%A`, { decision: "approve" })).status).toBe(
      404,
    );
    const payload = service.received[0]?.body as unknown as Parameters<typeof callbackBody>[0];
    expect(
      (await postDecision(callbackUrl, callbackBody(payload, { decision: "perhaps" } as never)))
        .status,
    ).toBe(400);
    // A body that does not name the request is refused, even signed.
    expect((await postDecision(callbackUrl, { decision: "approve" })).status).toBe(400);
    expect(
      await postDecision(
        callbackUrl,
        callbackBody(payload, { decision: "deny", reason: "call the customer first", by: "bob" }),
      ),
    ).toEqual({ status: 200, body: { ok: true } });
    expect(await pending).toEqual({
      approved: false,
      reason: "call the customer first",
      by: "bob",
    });
    expect(
      (await postDecision(callbackUrl, callbackBody(payload, { decision: "approve" }))).status,
    ).toBe(404);
  });

  it("stops waiting for a callback when the request is aborted (the scheduler's timeout)", async () => {
    const callbacks = new ApprovalCallbacks({
      secret: SECRET,
      publicUrl: "https://agent.example.com",
    });
    const service = await approvalService(() => ({ status: 200, body: { decision: "pending" } }));
    cleanups.push(service.close);
    const controller = new AbortController();
    const pending = webhookApprover({ url: service.url, secret: SECRET, callbacks }).ask(
      request("apr_8", controller.signal),
    );
    await expect.poll(() => service.received.length).toBe(1);
    expect(service.received[0]?.body.callback_url).toBe(
      "https://agent.example.com/parley/approvals/apr_8",
    );
    controller.abort(new Error("approval timeout"));
    await expect(pending).rejects.toThrow("approval timeout");
  });
});
