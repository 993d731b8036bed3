import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { webhookApprover } from "../approval/approvers/webhook.ts";
import { callbackBody } from "../approval/binding.ts";
import { ApprovalCallbacks } from "../approval/callbacks.ts";
import { signedHeaders } from "../approval/signature.ts";
import { defineTool } from "../tool/index.ts";
import { RecordingHost } from "./test-support/recording-host.ts";
import { ToolScheduler } from "./tool-scheduler.ts";

const SECRET = `whsec_${Buffer.from("scheduler test secret").toString("base64")}`;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A real approval service on loopback: answers every request with `answer`, remembers the callback URLs. */
async function service(answer: { status: number; body?: unknown }) {
  const callbackUrls: string[] = [];
  const payloads: Parameters<typeof callbackBody>[0][] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    callbackUrls.push(payload.callback_url);
    payloads.push(payload);
    res
      .writeHead(answer.status, { "content-type": "application/json" })
      .end(answer.body === undefined ? "" : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    callbackUrls,
    payloads,
  };
}

async function setup(answer: { status: number; body?: unknown }) {
  const svc = await service(answer);
  const callbacks = new ApprovalCallbacks({ secret: SECRET });
  await callbacks.listen();
  closers.push(() => callbacks.close());
  const ran: unknown[] = [];
  const tool = defineTool({
    name: "transfer",
    description: "moves money",
    parameters: z.object({ amount: z.number() }),
    approval: { when: "args.amount >= 1000", approver: "webhook", timeout: "30s" },
    filler: false,
    run: (args) => {
      ran.push(args);
      return "transferred";
    },
  });
  const host = new RecordingHost({ responseMs: 100 });
  const scheduler = new ToolScheduler(host, {
    tools: [tool],
    approvers: [webhookApprover({ url: svc.url, secret: SECRET, callbacks })],
  });
  scheduler.onFunctionCall({
    type: "function_call",
    call_id: "c1",
    name: "transfer",
    arguments: '{"amount":5000}',
  });
  return { host, scheduler, ran, svc };
}

describe("approvals through the webhook approver, end to end over HTTP", () => {
  it("approve in the webhook's response: the call runs", async () => {
    const { host, ran } = await setup({ status: 200, body: { decision: "approve" } });
    await expect.poll(() => ran.length).toBe(1);
    await host.clock.advance(0);
    expect(host.outputOf("c1")).toBe("transferred");
  });

  it("deny in the webhook's response: the call is rejected with the reviewer's reason", async () => {
    const { host, ran } = await setup({
      status: 200,
      body: { decision: "deny", reason: "over the daily limit" },
    });
    await expect.poll(() => host.outputs().length).toBe(1);
    expect(ran).toHaveLength(0);
    expect(host.outputOf("c1")).toEqual({
      error: {
        code: "approval_denied",
        message: "transfer was not approved: over the daily limit",
      },
    });
  });

  it("pending, then approved later through the callback URL", async () => {
    const { host, ran, svc } = await setup({ status: 202 });
    await expect.poll(() => svc.callbackUrls.length).toBe(1);
    await host.clock.advance(10_000);
    expect(ran).toHaveLength(0);
    const payload = svc.payloads[0] as Parameters<typeof callbackBody>[0];
    const body = JSON.stringify(callbackBody(payload, { approved: true, by: "carol" }));
    const res = await fetch(svc.callbackUrls[0] as string, {
      method: "POST",
      headers: signedHeaders(SECRET, "msg_1", body),
      body,
    });
    expect(res.status).toBe(200);
    await expect.poll(() => ran.length).toBe(1);
  });

  it("pending and never decided: rejected at the timeout, and a late callback finds nothing to decide", async () => {
    const { host, ran, svc } = await setup({ status: 200, body: { decision: "pending" } });
    await expect.poll(() => svc.callbackUrls.length).toBe(1);
    await host.clock.advance(30_000);
    expect(host.outputOf("c1")).toMatchObject({
      error: {
        code: "approval_timeout",
        message: "transfer was not run: no decision from the webhook approver within 30s",
      },
    });
    const payload = svc.payloads[0] as Parameters<typeof callbackBody>[0];
    const body = JSON.stringify(callbackBody(payload, { approved: true }));
    const res = await fetch(svc.callbackUrls[0] as string, {
      method: "POST",
      headers: signedHeaders(SECRET, "msg_2", body),
      body,
    });
    expect(res.status).toBe(404);
    expect(ran).toHaveLength(0);
  });
});
