import { instantiateToolPack, type ToolDefinition, type ToolSessionControl } from "@parley/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer } from "../../../test/http-server.ts";
import { testContext } from "../../../test/tool-context.ts";
import callControlPack from "./index.ts";

let calls: Awaited<ReturnType<typeof startHttpServer>>;

beforeAll(async () => {
  // Stands in for api.openai.com: accepts REFER for rtc_live, refuses unknown calls like the real endpoint.
  calls = await startHttpServer((req, res) => {
    if (req.headers.authorization !== "Bearer sk-test-key-123456") {
      res.statusCode = 401;
      return void res.end('{"error":{"message":"bad key"}}');
    }
    if (req.method === "POST" && req.url === "/v1/realtime/calls/rtc_live/refer")
      return void res.end();
    res.statusCode = 404;
    res.end('{"error":{"message":"call not found"}}');
  });
});
afterAll(() => calls.close());

async function tools(options: Record<string, unknown> = {}) {
  const list = await instantiateToolPack(
    callControlPack,
    { baseUrl: `${calls.url}/v1`, apiKey: "sk-test-key-123456", ...options },
    { baseDir: "/tmp", env: {} },
  );
  return Object.fromEntries(list.map((t) => [t.name, t])) as Record<string, ToolDefinition>;
}

function phoneSession(callId?: string) {
  const ended: (string | undefined)[] = [];
  const session: ToolSessionControl = { callId, end: (reason) => void ended.push(reason) };
  return { session, ended };
}

describe("end_call", () => {
  it("ends the session with the reason, without approval", async () => {
    const t = await tools();
    const { session, ended } = phoneSession();
    expect(
      await t.end_call?.run({ reason: "caller said goodbye" }, testContext({ session }).ctx),
    ).toEqual({ ending: true });
    expect(ended).toEqual(["caller said goodbye"]);
    expect(t.end_call?.approval).toBe("never");
  });

  it("fails clearly outside a session", async () => {
    const t = await tools();
    await expect(t.end_call?.run({}, testContext().ctx)).rejects.toMatchObject({
      code: "no_session",
    });
  });
});

describe("transfer_call", () => {
  it("sends a SIP REFER for the named target to the calls endpoint", async () => {
    const t = await tools({ targets: { front_desk: "tel:+14155550123" } });
    const { session } = phoneSession("rtc_live");
    const out = await t.transfer_call?.run({ target: "front_desk" }, testContext({ session }).ctx);
    expect(out).toEqual({ transferred: true, target: "front_desk" });
    const sent = calls.requests.at(-1);
    expect(sent?.url).toBe("/v1/realtime/calls/rtc_live/refer");
    expect(JSON.parse(sent?.body ?? "")).toEqual({ target_uri: "tel:+14155550123" });
  });

  it("needs approval by default and only offers the configured targets to the model", async () => {
    const t = await tools({
      targets: { front_desk: "tel:+14155550123", billing: "sip:billing@pbx.example.com" },
    });
    expect(t.transfer_call?.approval).toBe("always");
    const params = t.transfer_call?.parameters as { safeParse(v: unknown): { success: boolean } };
    expect(params.safeParse({ target: "billing" }).success).toBe(true);
    expect(params.safeParse({ target: "tel:+19995550000" }).success).toBe(false);
  });

  it("refuses when the session is not a phone call", async () => {
    const t = await tools({ targets: { front_desk: "tel:+14155550123" } });
    const { session } = phoneSession(undefined);
    await expect(
      t.transfer_call?.run({ target: "front_desk" }, testContext({ session }).ctx),
    ).rejects.toMatchObject({
      code: "not_a_phone_call",
    });
  });

  it("reports a refused REFER with the endpoint's status, and never logs the key", async () => {
    const t = await tools({ targets: { front_desk: "tel:+14155550123" } });
    const { session } = phoneSession("rtc_gone");
    const { ctx, logs } = testContext({ session });
    await expect(t.transfer_call?.run({ target: "front_desk" }, ctx)).rejects.toMatchObject({
      code: "refer_failed",
      message: expect.stringContaining("404"),
    });
    expect(JSON.stringify(logs)).not.toContain("sk-test-key");
  });

  it("needs an API key", async () => {
    const list = await instantiateToolPack(
      callControlPack,
      { baseUrl: `${calls.url}/v1` },
      { baseDir: "/tmp", env: {} },
    );
    const transfer = list.find((t) => t.name === "transfer_call");
    const { session } = phoneSession("rtc_live");
    await expect(
      transfer?.run({ target: "tel:+14155550123" }, testContext({ session }).ctx),
    ).rejects.toMatchObject({
      code: "no_api_key",
    });
  });

  it("rejects targets that are not SIP or tel URIs at load", async () => {
    await expect(tools({ targets: { desk: "+14155550123" } })).rejects.toMatchObject({
      code: "pack_options_invalid",
      issues: [{ path: ["targets", "desk"] }],
    });
  });
});
