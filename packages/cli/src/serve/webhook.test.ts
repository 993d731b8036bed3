import { signWebhook } from "@parley/local-realtime";
import { validateAgainstSchema } from "@parley/local-realtime/conformance";
import { describe, expect, it } from "vitest";
import { startServe } from "../../test/helpers/serve.ts";

/** Posts a webhook body with the given signature headers; the call id is the one the body names. */
async function deliver(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body,
  });
  return response.status;
}

function incoming(callId: string) {
  return JSON.stringify({
    id: "evt_test",
    object: "event",
    created_at: Math.floor(Date.now() / 1000),
    type: "realtime.call.incoming",
    data: {
      call_id: callId,
      sip_headers: [{ name: "To", value: "<sip:+14155550123@sip.api.openai.com>" }],
    },
  });
}

describe("the webhook signature", () => {
  it("accepts a correctly signed call and refuses every forged, tampered, stale, future or unsigned one with 400", async () => {
    const t = await startServe();
    // The calls are real on the local server, so an accept that slipped through would show as "accepted".
    const ids = Array.from({ length: 6 }, () => t.local.calls.create("sip").id);
    const now = Math.floor(Date.now() / 1000);
    const body = (i: number) => incoming(ids[i] as string);
    expect(
      await deliver(
        t.webhookUrl,
        body(0),
        signWebhook(body(0), `whsec_${Buffer.from("wrong").toString("base64")}`),
      ),
    ).toBe(400);
    const signed = signWebhook(body(1), t.secret);
    expect(
      await deliver(t.webhookUrl, body(1).replace("+14155550123", "+19005550000"), signed),
    ).toBe(400);
    expect(
      await deliver(
        t.webhookUrl,
        body(2),
        signWebhook(body(2), t.secret, { timestamp: now - 360 }),
      ),
    ).toBe(400);
    expect(
      await deliver(
        t.webhookUrl,
        body(3),
        signWebhook(body(3), t.secret, { timestamp: now + 360 }),
      ),
    ).toBe(400);
    expect(await deliver(t.webhookUrl, body(4), {})).toBe(400);
    for (const id of ids.slice(0, 5)) expect(t.local.calls.get(id)?.state).toBe("ringing");
    expect(await deliver(t.webhookUrl, body(5), signWebhook(body(5), t.secret))).toBe(200);
    expect(t.local.calls.get(ids[5] as string)?.state).toBe("accepted");
    expect(t.logs.filter((l) => l.msg === "webhook refused")).toHaveLength(5);
  });

  it("ignores a replayed webhook-id, even with another call in the body", async () => {
    const t = await startServe();
    const first = t.local.calls.create("sip").id;
    const second = t.local.calls.create("sip").id;
    const headers = signWebhook(incoming(first), t.secret, { id: "wh_replayed" });
    expect(await deliver(t.webhookUrl, incoming(first), headers)).toBe(200);
    const replay = signWebhook(incoming(second), t.secret, { id: "wh_replayed" });
    expect(await deliver(t.webhookUrl, incoming(second), replay)).toBe(200);
    expect(t.local.calls.get(second)?.state).toBe("ringing");
  });
});

describe("incoming calls", () => {
  it("accepts a call once however often the webhook is delivered, with a body valid against the spec", async () => {
    const t = await startServe();
    const call = await t.local.simulateIncomingCall({
      webhookUrl: t.webhookUrl,
      secret: t.secret,
      headers: { "X-Account": "42" },
    });
    const answer = await call.answered;
    expect(answer.type).toBe("accepted");
    if (answer.type !== "accepted") return;
    expect(validateAgainstSchema("RealtimeSessionCreateRequestGA", answer.session)).toEqual([]);
    // A redelivery of the same webhook, and a new webhook id for the same call: neither accepts again.
    expect(await call.deliver()).toBe(200);
    expect(await call.deliver({ id: "wh_other" })).toBe(200);
    expect(t.logs.filter((l) => l.msg === "call accepted")).toHaveLength(1);
    expect(t.logs.some((l) => l.msg === "duplicate webhook ignored")).toBe(true);
    expect(t.logs.some((l) => l.msg === "duplicate call ignored")).toBe(true);
    // The greeting carries the caller's number, from the SIP From header, as the agent declares caller_number.
    expect(await call.waitForAgent()).toBe("Hello, front desk, you are calling from +14155550100.");
  });

  it("rejects with 486 Busy at maxCalls, and by a reject route", async () => {
    const t = await startServe({
      config: {
        maxCalls: 1,
        routes: [{ header: { name: "X-Blocked", value: "yes" }, reject: 403 }],
      },
    });
    const first = await t.local.simulateIncomingCall({
      webhookUrl: t.webhookUrl,
      secret: t.secret,
    });
    expect((await first.answered).type).toBe("accepted");
    const second = await t.local.simulateIncomingCall({
      webhookUrl: t.webhookUrl,
      secret: t.secret,
    });
    expect(await second.answered).toEqual({ type: "rejected", status: 486 });
    first.hangUp();
    await t.serve.calls.idle();
    const blocked = await t.local.simulateIncomingCall({
      webhookUrl: t.webhookUrl,
      secret: t.secret,
      headers: { "X-Blocked": "yes" },
    });
    expect(await blocked.answered).toEqual({ type: "rejected", status: 403 });
  });

  it("routes by dialled number and passes declared SIP headers as variables", async () => {
    const t = await startServe({
      config: {
        routes: [{ number: "+18005550000", agent: "busy-line" }],
        variables: { "X-Account": "account" },
      },
    });
    const sales = await t.local.simulateIncomingCall({
      webhookUrl: t.webhookUrl,
      secret: t.secret,
      to: "+18005550000",
    });
    expect(await sales.waitForAgent()).toBe("Sales, hello.");
    expect(t.logs.find((l) => l.msg === "call accepted" && l.callId === sales.callId)?.agent).toBe(
      "busy-line",
    );
  });

  it("logs and skips a call whose caller is gone before the accept (404)", async () => {
    const t = await startServe();
    const call = t.local.calls.create("sip");
    t.local.calls.end(call, "caller_hangup");
    const body = incoming(call.id);
    expect(await deliver(t.webhookUrl, body, signWebhook(body, t.secret))).toBe(200);
    expect(
      t.logs.some(
        (l) => l.msg === "caller gone before the accept; skipped" && l.callId === call.id,
      ),
    ).toBe(true);
    expect(t.serve.calls.size).toBe(0);
  });
});
