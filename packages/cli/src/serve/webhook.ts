import { compileSipAcceptBody } from "@parley/core";
import type { Context } from "hono";
import OpenAI from "openai";
import type { ServeContext } from "./context.ts";
import { RealtimeApiError } from "./realtime-api.ts";
import { routeCall, type SipHeader, sipVariables } from "./sip.ts";

// Verification only: the client is never used to call the API, so it holds no real key.
const verifier = new OpenAI({ apiKey: "unused-for-verification" });

/**
 * `POST /openai/webhook`: verifies the Standard Webhooks signature over the raw body (the `openai` package's
 * `webhooks.unwrap`, 300 s tolerance both ways), de-duplicates on `webhook-id` and `call_id`, routes the call to an
 * agent, accepts it (or rejects: busy, draining, a reject route) and attaches the sideband in the background.
 */
export async function handleWebhook(c: Context, ctx: ServeContext): Promise<Response> {
  const { log } = ctx;
  if (!ctx.webhookSecret) {
    log({ level: "error", msg: "webhook received but OPENAI_WEBHOOK_SECRET is not set; refused" });
    return c.json({ error: "webhook secret not configured" }, 503);
  }
  const received = performance.now();
  const raw = await c.req.text();
  let event: Awaited<ReturnType<typeof verifier.webhooks.unwrap>>;
  try {
    event = await verifier.webhooks.unwrap(raw, c.req.raw.headers, ctx.webhookSecret);
  } catch (error) {
    // Nothing of the body is logged: it is unauthenticated input.
    log({ level: "warn", msg: "webhook refused", reason: (error as Error).message });
    return c.json({ error: "invalid webhook signature" }, 400);
  }
  const webhookId = c.req.header("webhook-id") ?? "";
  if (ctx.seenWebhooks.check(webhookId)) {
    log({ level: "info", msg: "duplicate webhook ignored", webhookId });
    return c.json({ ok: true, duplicate: true });
  }
  if (event.type !== "realtime.call.incoming") return c.json({ ok: true, ignored: event.type });
  const callId = event.data.call_id;
  const headers = event.data.sip_headers as SipHeader[];
  if (ctx.seenCalls.check(callId)) {
    log({ level: "info", msg: "duplicate call ignored", callId });
    return c.json({ ok: true, duplicate: true });
  }
  const reject = async (status: number, why: string) => {
    log({ level: "info", msg: "call rejected", callId, status, why });
    await ctx.api
      .reject(callId, status)
      .catch((error: unknown) =>
        log({ level: "warn", msg: "reject failed", callId, error: (error as Error).message }),
      );
    return c.json({ ok: true, rejected: status });
  };
  if (ctx.draining) return reject(503, "draining");
  const route = routeCall(headers, ctx.config, ctx.agents.names);
  if (!route) return reject(480, "no agent");
  if ("reject" in route) return reject(route.reject, "reject route");
  const agent = ctx.agents.get(route.agent);
  if (!agent) {
    log({ level: "error", msg: "route names an unknown agent", callId, agent: route.agent });
    return reject(480, "unknown agent");
  }
  const slot = ctx.calls.reserve(callId, ctx.maxCalls);
  if (slot === "duplicate") return c.json({ ok: true, duplicate: true });
  if (slot === "busy") return reject(486, "maxCalls reached");
  const variables = sipVariables(headers, agent, ctx.config.variables);
  try {
    await ctx.api
      .forBase(agent.config.apiBase)
      .accept(callId, compileSipAcceptBody(agent, { variables }));
  } catch (error) {
    ctx.calls.release(callId);
    if (error instanceof RealtimeApiError && error.status === 404) {
      log({ level: "info", msg: "caller gone before the accept; skipped", callId });
      return c.json({ ok: true, gone: true });
    }
    // Let the API redeliver: forget both ids so the retry is handled afresh.
    ctx.seenWebhooks.forget(webhookId);
    ctx.seenCalls.forget(callId);
    log({ level: "error", msg: "accept failed", callId, error: (error as Error).message });
    return c.json({ error: "accept failed" }, 502);
  }
  const acceptMs = performance.now() - received;
  ctx.onAccepted?.(acceptMs);
  log({
    level: "info",
    msg: "call accepted",
    callId,
    agent: agent.name,
    acceptMs: Math.round(acceptMs * 10) / 10,
  });
  void ctx.calls.attach({ callId, kind: "sip", agent, variables, acceptMs });
  return c.json({ ok: true, accepted: callId });
}
