import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { describe, expect, it, onTestFinished } from "vitest";
import { startTestServer, TestClient } from "../../test/harness.ts";
import { validateAgainstSchema } from "../conformance/index.ts";
import type { LocalRealtime } from "../server.ts";
import { newWebhookSecret } from "./webhook-signature.ts";

const OFFER = readFileSync(
  new URL("../../test/fixtures/browser-offer.sdp", import.meta.url),
  "utf8",
);
const SESSION = {
  type: "realtime",
  model: "gpt-realtime",
  instructions: "You are Ada, a concierge.",
};

/** A webhook receiver on loopback: hands each delivery (raw body and headers) to `onCall`. */
async function webhookReceiver(
  onCall: (body: string, headers: IncomingMessage["headers"]) => Promise<number> | number = () =>
    200,
) {
  const received: { body: string; headers: IncomingMessage["headers"] }[] = [];
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    received.push({ body, headers: req.headers });
    res.writeHead(await onCall(body, req.headers));
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/openai/webhook`,
    received,
  };
}

function post(server: LocalRealtime, path: string, body?: unknown, key = "sk-test") {
  return fetch(`${server.baseURL}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe("an incoming SIP call", () => {
  it("sends a realtime.call.incoming the openai package verifies, valid against the spec", async () => {
    const server = await startTestServer();
    const hook = await webhookReceiver();
    const secret = newWebhookSecret();
    const call = await server.simulateIncomingCall({
      webhookUrl: hook.url,
      secret,
      from: "+33123456789",
      headers: { "X-Account": "42" },
    });
    expect(call.webhook.status).toBe(200);
    const { body, headers } = hook.received[0] ?? { body: "", headers: {} };
    const event = await new OpenAI({ apiKey: "x" }).webhooks.unwrap(
      body,
      headers as Record<string, string>,
      secret,
    );
    expect(event.type).toBe("realtime.call.incoming");
    expect(validateAgainstSchema("WebhookRealtimeCallIncoming", JSON.parse(body))).toEqual([]);
    const sip = (
      event as { data: { call_id: string; sip_headers: { name: string; value: string }[] } }
    ).data;
    expect(sip.call_id).toBe(call.callId);
    expect(sip.sip_headers.find((h) => h.name === "From")?.value).toContain("+33123456789");
    expect(sip.sip_headers).toContainEqual({ name: "X-Account", value: "42" });
    await expect(
      new OpenAI({ apiKey: "x" }).webhooks.unwrap(
        body,
        headers as Record<string, string>,
        newWebhookSecret(),
      ),
    ).rejects.toThrow(/signature/);
  });

  it("is accepted with a session config, then the sideband attaches with that session and the caller is heard", async () => {
    const server = await startTestServer();
    const hook = await webhookReceiver();
    const call = await server.simulateIncomingCall({
      webhookUrl: hook.url,
      secret: newWebhookSecret(),
    });
    // Before the accept, the sideband is refused.
    await expect(
      TestClient.connect(server.url, { query: `?call_id=${call.callId}` }),
    ).rejects.toThrow(/400/);
    expect(
      (
        await post(server, `/realtime/calls/${call.callId}/accept`, {
          type: "realtime",
          voice: "x",
        })
      ).status,
    ).toBe(400);
    expect((await post(server, `/realtime/calls/${call.callId}/accept`, SESSION)).status).toBe(200);
    expect(await call.answered).toEqual({ type: "accepted", session: SESSION });
    expect((await post(server, `/realtime/calls/${call.callId}/accept`, SESSION)).status).toBe(400);
    const sideband = await TestClient.connect(server.url, { query: `?call_id=${call.callId}` });
    const created = await sideband.next("session.created");
    expect(created.session.instructions).toBe("You are Ada, a concierge.");
    await call.say("hello there");
    expect(await call.waitForAgent()).toMatch(/Ada/);
    call.hangUp();
    expect(await call.ended).toBe("caller_hangup");
    await new Promise<void>((r) => (sideband.closed ? r() : sideband.ws.once("close", () => r())));
    const late = await post(server, `/realtime/calls/${call.callId}/hangup`);
    expect(late.status).toBe(404);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe(
      "call_id_not_found",
    );
  });

  it("is dropped when nobody answers in time; a late accept gets 404 call_id_not_found", async () => {
    const server = await startTestServer();
    const hook = await webhookReceiver();
    const call = await server.simulateIncomingCall({
      webhookUrl: hook.url,
      secret: newWebhookSecret(),
      answerTimeoutMs: 50,
    });
    expect(await call.answered).toEqual({ type: "no_answer" });
    expect((await post(server, `/realtime/calls/${call.callId}/accept`, SESSION)).status).toBe(404);
    await expect(
      TestClient.connect(server.url, { query: `?call_id=${call.callId}` }),
    ).rejects.toThrow(/404/);
  });

  it("is rejected with a SIP status; refer and hangup reach the call and close its sideband", async () => {
    const server = await startTestServer();
    const hook = await webhookReceiver();
    const busy = await server.simulateIncomingCall({
      webhookUrl: hook.url,
      secret: newWebhookSecret(),
    });
    expect(
      (await post(server, `/realtime/calls/${busy.callId}/reject`, { status_code: 486 })).status,
    ).toBe(200);
    expect(await busy.answered).toEqual({ type: "rejected", status: 486 });

    const call = await server.simulateIncomingCall({
      webhookUrl: hook.url,
      secret: newWebhookSecret(),
    });
    await post(server, `/realtime/calls/${call.callId}/accept`, SESSION);
    const sideband = await TestClient.connect(server.url, { query: `?call_id=${call.callId}` });
    expect(
      (await post(server, `/realtime/calls/${call.callId}/refer`, { target_uri: "555" })).status,
    ).toBe(400);
    expect(
      (
        await post(server, `/realtime/calls/${call.callId}/refer`, {
          target_uri: "tel:+14155550123",
        })
      ).status,
    ).toBe(200);
    expect(call.referrals).toEqual(["tel:+14155550123"]);
    expect(await call.ended).toBe("transferred");
    await new Promise<void>((r) => (sideband.closed ? r() : sideband.ws.once("close", () => r())));
    expect((await post(server, "/realtime/calls/rtc_nope/hangup")).status).toBe(404);
  });
});

describe("POST /v1/realtime/calls (WebRTC, unified interface)", () => {
  function createCall(server: LocalRealtime, sdp: string, session?: unknown) {
    const form = new FormData();
    form.set("sdp", sdp);
    if (session !== undefined) form.set("session", JSON.stringify(session));
    return fetch(`${server.baseURL}/realtime/calls`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test" },
      body: form,
    });
  }

  it("answers a valid offer with 201, Location and an SDP answer; the sideband attaches by the call id", async () => {
    const server = await startTestServer();
    const response = await createCall(server, OFFER, SESSION);
    expect(response.status).toBe(201);
    const location = response.headers.get("location") ?? "";
    expect(location).toMatch(/^\/v1\/realtime\/calls\/rtc_[0-9a-f]{32}$/);
    const answer = await response.text();
    expect(answer).toMatch(/^v=0\r\n/);
    expect(answer).toContain("m=audio 9 UDP/TLS/RTP/SAVPF 111");
    expect(answer).toContain("a=mid:1");
    const sideband = await TestClient.connect(server.url, {
      query: `?call_id=${location.split("/").pop()}`,
    });
    expect((await sideband.next("session.created")).session.instructions).toBe(
      "You are Ada, a concierge.",
    );
  });

  it("refuses a broken offer and a session the spec does not allow", async () => {
    const server = await startTestServer();
    const noAudio = OFFER.replace(/m=audio[\s\S]*?(?=m=application)/, "");
    const bad = await createCall(server, noAudio, SESSION);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /no audio media section/,
    );
    expect((await createCall(server, OFFER, { type: "realtime", voice: "alloy" })).status).toBe(
      400,
    );
  });
});

describe("POST /v1/realtime/client_secrets", () => {
  it("mints a secret valid against the spec; sessions it starts have its config; it expires", async () => {
    const server = await startTestServer({ apiKey: "sk-real" });
    const response = await post(
      server,
      "/realtime/client_secrets",
      { expires_after: { anchor: "created_at", seconds: 10 }, session: SESSION },
      "sk-real",
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { value: string; expires_at: number };
    expect(validateAgainstSchema("RealtimeCreateClientSecretResponse", body)).toEqual([]);
    expect(body.value).toMatch(/^ek_/);
    const client = await TestClient.connect(server.url, { key: body.value });
    expect((await client.next("session.created")).session.instructions).toBe(
      "You are Ada, a concierge.",
    );
    expect(
      (
        await post(
          server,
          "/realtime/client_secrets",
          { expires_after: { anchor: "created_at", seconds: 5 } },
          "sk-real",
        )
      ).status,
    ).toBe(400);
    expect((await post(server, "/realtime/client_secrets", {}, "sk-wrong")).status).toBe(401);
    // A client secret cannot drive the calls endpoints.
    expect((await post(server, "/realtime/calls/rtc_x/hangup", undefined, body.value)).status).toBe(
      401,
    );
    // An unknown secret is refused as a wrong key is: an error event, then the socket closes.
    const stranger = await TestClient.connect(server.url, { key: "ek_unknown" });
    expect((await stranger.next("error")).error.code).toBe("invalid_api_key");
  });
});
