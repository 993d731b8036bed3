import { compileClientSecretBody, compileSessionConfig, type LoadedAgent } from "@parley/core";
import type { Context } from "hono";
import type { ServeContext } from "./context.ts";
import { RealtimeApiError } from "./realtime-api.ts";

const MAX_SDP_BYTES = 64 * 1024;

function agentFor(ctx: ServeContext, name: string | undefined): LoadedAgent | undefined {
  const chosen = name ?? ctx.config.defaultAgent ?? ctx.agents.names[0];
  return chosen ? ctx.agents.get(chosen) : undefined;
}

/** True when the request's Origin may use this endpoint (no list: any origin; same-origin pages send none). */
function originAllowed(origin: string | undefined, allowed: string[] | undefined): boolean {
  if (!allowed || allowed.includes("*")) return true;
  return origin !== undefined && allowed.includes(origin);
}

/**
 * `POST /session` (the unified interface): the page posts its SDP offer (`application/sdp`, `?agent=` to pick an
 * agent); Parley creates the call with its own key and the agent's session, answers with the SDP and attaches the
 * sideband by the call id, so the browser holds no key and the tools run here. `x-parley-call-id` names the call.
 */
export async function handleSession(c: Context, ctx: ServeContext): Promise<Response> {
  const browser = ctx.config.browser;
  if (browser?.enabled === false) return c.json({ error: "browser sessions are disabled" }, 404);
  const origin = c.req.header("origin");
  if (origin && !originAllowed(origin, browser?.allowedOrigins))
    return c.json({ error: "origin not allowed" }, 403);
  if (ctx.draining) return c.json({ error: "the server is draining" }, 503);
  if (ctx.calls.size >= ctx.maxCalls) return c.json({ error: "busy" }, 503);
  const sdp = await c.req.text();
  if (!sdp.startsWith("v=0") || sdp.length > MAX_SDP_BYTES)
    return c.json({ error: "send the page's SDP offer as the body (application/sdp)" }, 400);
  const agent = agentFor(ctx, c.req.query("agent"));
  if (!agent) return c.json({ error: "no such agent" }, 404);
  let created: { callId: string; answer: string };
  try {
    created = await ctx.api.createCall(sdp, compileSessionConfig(agent));
  } catch (error) {
    const status = error instanceof RealtimeApiError && error.status === 400 ? 400 : 502;
    ctx.log({
      level: "warn",
      msg: "browser call refused by the API",
      error: (error as Error).message,
    });
    return c.json({ error: (error as Error).message }, status);
  }
  if (ctx.calls.reserve(created.callId, Number.POSITIVE_INFINITY) !== "ok")
    return c.json({ error: "duplicate call" }, 409);
  ctx.log({
    level: "info",
    msg: "browser call created",
    callId: created.callId,
    agent: agent.name,
  });
  void ctx.calls.attach({
    callId: created.callId,
    kind: "webrtc",
    agent,
    variables: {},
    acceptMs: null,
  });
  return c.body(created.answer, 201, {
    "content-type": "application/sdp",
    "x-parley-call-id": created.callId,
    ...(origin ? { "access-control-expose-headers": "x-parley-call-id" } : {}),
  });
}

/** `DELETE /session/:callId`: the page hangs up its call. */
export async function handleSessionHangup(c: Context, ctx: ServeContext): Promise<Response> {
  const callId = c.req.param("callId") ?? "";
  const session = await ctx.calls.session(callId);
  if (!session) return c.json({ error: "no such call" }, 404);
  await session.close();
  return c.json({ ok: true });
}

/**
 * `POST /client-secret`: for apps that connect to the API directly. Off unless enabled; the Origin must be allowed;
 * a per-client rate limit; a short expiry (default 60 s). The secret carries the agent's session, but tools then
 * run in the page, not in Parley.
 */
export async function handleClientSecret(
  c: Context,
  ctx: ServeContext,
  client: string,
): Promise<Response> {
  const cfg = ctx.config.clientSecret;
  if (!cfg?.enabled) return c.json({ error: "client secrets are disabled" }, 404);
  const origin = c.req.header("origin");
  if (!origin || !cfg.allowedOrigins?.includes(origin))
    return c.json({ error: "origin not allowed" }, 403);
  const wait = ctx.clientSecretLimiter.hit(client);
  if (wait > 0) return c.json({ error: "too many requests" }, 429, { "retry-after": String(wait) });
  const body = (await c.req.json().catch(() => ({}))) as { agent?: unknown };
  const agent = agentFor(ctx, typeof body.agent === "string" ? body.agent : undefined);
  if (!agent) return c.json({ error: "no such agent" }, 404);
  try {
    const minted = await ctx.api
      .forBase(agent.config.apiBase)
      .clientSecret(
        compileClientSecretBody(agent, { expiresInSeconds: cfg.expiresInSeconds ?? 60 }),
      );
    ctx.log({
      level: "info",
      msg: "client secret minted",
      agent: agent.name,
      client,
      expiresAt: minted.expires_at,
    });
    return c.json({ value: minted.value, expires_at: minted.expires_at, agent: agent.name }, 200, {
      "access-control-allow-origin": origin,
      vary: "Origin",
      "cache-control": "no-store",
    });
  } catch (error) {
    ctx.log({
      level: "warn",
      msg: "client secret refused by the API",
      error: (error as Error).message,
    });
    return c.json({ error: "the API refused the client secret" }, 502);
  }
}
