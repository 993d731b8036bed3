import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { webhookApprover } from "../approval/approvers/webhook.ts";
import { createLogger, type LogRecord, setLogSink } from "../log/index.ts";
import { leaked } from "../log/test-support/leaked.ts";
import { defineTool } from "../tool/index.ts";
import { RecordingHost } from "./test-support/recording-host.ts";
import { ToolScheduler } from "./tool-scheduler.ts";

/** Secrets a caller or a back end may put in arguments, logs and errors; none may leave the process in clear. */
const CARD = "4111111111111111";
const CVV = "737";
const PIN = "4921";
const AWS = "AKIAIOSFODNN7EXAMPLE";
const STRIPE = "sk_live_51H8proofproofproof";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwcm9vZiJ9.c2lnbmF0dXJlLXByb29m";
const BASIC = "Basic dXNlcjpzZWNyZXQtcHJvb2Y=";
const QUERY_TOKEN = "qtok_Lm55Vb66";
const SECRETS = [CARD, CVV, PIN, AWS, STRIPE, JWT, "dXNlcjpzZWNyZXQtcHJvb2Y", QUERY_TOKEN];

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function approvalService() {
  const bodies: string[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    bodies.push(Buffer.concat(chunks).toString("utf8"));
    res.writeHead(200, { "content-type": "application/json" }).end('{"decision":"approve"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, bodies };
}

describe("secrets in a session's calls", () => {
  it("appear in no audit line, webhook payload, log line, event or error sent to the model", async () => {
    const logs: LogRecord[] = [];
    const previous = setLogSink((r) => logs.push(r));
    closers.push(() => void setLogSink(previous));
    const service = await approvalService();
    const pay = defineTool({
      name: "pay",
      description: "takes a card payment",
      parameters: z.object({
        amount: z.number(),
        card_number: z.string(),
        cvv: z.string(),
        pin: z.number(),
        note: z.string(),
      }),
      approval: "always",
      filler: false,
      run: (args, ctx) => {
        ctx.log.info(`charging card ${args.card_number} with ${BASIC}`, { args });
        return { ok: true };
      },
    });
    const lookup = defineTool({
      name: "lookup",
      description: "asks the back office",
      parameters: z.object({ q: z.string() }),
      filler: false,
      run: () => {
        throw new Error(
          `backend said 401 for https://api.example.com/x?token=${QUERY_TOKEN} with ${STRIPE}; ${JWT} ${"trace ".repeat(20_000)}`,
        );
      },
    });
    const audit = join(mkdtempSync(join(tmpdir(), "parley-secrets-")), "audit.jsonl");
    const host = new RecordingHost({ responseMs: 100 });
    const scheduler = new ToolScheduler(host, {
      tools: [pay, lookup],
      approvers: [webhookApprover({ url: service.url, secret: "whsec_c2VjcmV0" })],
      auditLog: audit,
      log: createLogger("parley:secrets-test"),
    });
    const args = { amount: 20, card_number: CARD, cvv: CVV, pin: Number(PIN), note: `key ${AWS}` };
    scheduler.onFunctionCall({
      type: "function_call",
      call_id: "c_pay",
      name: "pay",
      arguments: JSON.stringify(args),
    });
    scheduler.onFunctionCall({
      type: "function_call",
      call_id: "c_lookup",
      name: "lookup",
      arguments: '{"q":"x"}',
    });
    // The approval goes over loopback HTTP: on a busy machine that can take more than the default second.
    await expect.poll(() => host.outputs().length, { timeout: 30_000 }).toBe(2);
    await scheduler.close();

    expect(host.outputOf("c_pay")).toEqual({ ok: true });
    const streams = {
      audit: readFileSync(audit, "utf8"),
      webhook: service.bodies.join("\n"),
      logs: JSON.stringify(logs),
      events: JSON.stringify(host.events),
      model: JSON.stringify(host.outputs()),
    };
    expect(streams.audit).toContain("pay");
    expect(streams.webhook).toContain("approval.requested");
    expect(streams.logs).toContain("charging card");
    for (const [name, text] of Object.entries(streams))
      expect(leaked(text, SECRETS), name).toEqual([]);
    // The error told to the model is capped, not the whole 120 KB message.
    expect(streams.model.length).toBeLessThan(4000);
  });
});
