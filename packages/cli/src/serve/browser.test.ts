import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startServe } from "../../test/helpers/serve.ts";

const OFFER = readFileSync(
  new URL("../../../local-realtime/test/fixtures/browser-offer.sdp", import.meta.url),
  "utf8",
);

function postSession(url: string, sdp: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/session`, {
    method: "POST",
    headers: { "content-type": "application/sdp", ...headers },
    body: sdp,
  });
}

describe("browser sessions (POST /session)", () => {
  it("creates the call with the agent's session, answers the SDP and attaches the sideband by the call id", async () => {
    const t = await startServe();
    const response = await postSession(t.url, OFFER);
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toContain("application/sdp");
    const answer = await response.text();
    expect(answer).toMatch(/^v=0\r\n[\s\S]*m=audio 9 UDP\/TLS\/RTP\/SAVPF 111/);
    const callId = response.headers.get("x-parley-call-id") ?? "";
    const call = t.local.calls.get(callId);
    // The local server validated the multipart session against the spec before answering 201.
    expect(call?.kind).toBe("webrtc");
    expect(call?.session?.instructions).toContain("You answer the hotel's phone.");
    await new Promise<void>((resolve) => {
      if (call?.sidebands.length) return resolve();
      t.local.calls.once("attached", () => resolve());
    });
    expect(call?.sidebands).toHaveLength(1);
    // The page hangs up: the session closes and the call is hung up on the API.
    expect((await fetch(`${t.url}/session/${callId}`, { method: "DELETE" })).status).toBe(200);
    await t.serve.calls.idle();
    expect(call?.state).toBe("ended");
    expect(call?.endReason).toBe("hangup");
  });

  it("passes the API's refusal of a broken offer back, and checks the Origin when origins are listed", async () => {
    const t = await startServe({
      config: { browser: { allowedOrigins: ["https://app.example.com"] } },
    });
    const broken = await postSession(t.url, "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: string }).error).toMatch(/no audio media section/);
    expect((await postSession(t.url, OFFER, { origin: "https://evil.example.com" })).status).toBe(
      403,
    );
    const allowed = await postSession(t.url, OFFER, { origin: "https://app.example.com" });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
  });

  it("serves the browser client module", async () => {
    const t = await startServe();
    const response = await fetch(`${t.url}/client.js`);
    expect(response.headers.get("content-type")).toContain("javascript");
    expect(await response.text()).toContain("export async function connect");
  });
});

describe("client secrets (POST /client-secret)", () => {
  const origin = "https://app.example.com";
  const mint = (url: string, headers: Record<string, string> = { origin }) =>
    fetch(`${url}/client-secret`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: "{}",
    });

  it("is off unless enabled", async () => {
    const t = await startServe();
    expect((await mint(t.url)).status).toBe(404);
  });

  it("mints a short-lived secret for an allowed origin only, within the rate limit", async () => {
    const t = await startServe({
      config: {
        clientSecret: {
          enabled: true,
          allowedOrigins: [origin],
          perMinute: 2,
          expiresInSeconds: 30,
        },
      },
    });
    expect((await mint(t.url, { origin: "https://evil.example.com" })).status).toBe(403);
    expect((await mint(t.url, {})).status).toBe(403);
    const first = await mint(t.url);
    expect(first.status).toBe(200);
    const body = (await first.json()) as { value: string; expires_at: number };
    expect(body.value).toMatch(/^ek_/);
    expect(body.expires_at - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(30);
    expect(first.headers.get("access-control-allow-origin")).toBe(origin);
    expect((await mint(t.url)).status).toBe(200);
    const limited = await mint(t.url);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // The secret's value is never logged.
    expect(JSON.stringify(t.logs)).not.toContain(body.value);
  });
});

describe("health", () => {
  it("answers /healthz, and /readyz turns 503 at maxCalls", async () => {
    const t = await startServe({ config: { maxCalls: 1 } });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    const call = await t.local.simulateIncomingCall({ webhookUrl: t.webhookUrl, secret: t.secret });
    await call.answered;
    const busy = await fetch(`${t.url}/readyz`);
    expect(busy.status).toBe(503);
    expect(await busy.json()).toMatchObject({ ready: false, calls: 1, maxCalls: 1 });
  });
});
