// `agent sim call` (the real binary) rings agent serve's app, in this process, from its own local server.

import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { serve as serveNode } from "@hono/node-server";
import { newWebhookSecret } from "@parley/local-realtime";
import { describe, expect, it, onTestFinished } from "vitest";
import { runCli, testEnv } from "../../test/helpers/cli.ts";
import { FIXTURES } from "../../test/helpers/serve.ts";
import { AgentCatalog } from "../serve/agents.ts";
import { createServeApp } from "../serve/app.ts";

/** A port free right now (the simulator listens on it a moment later). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("agent sim call", () => {
  it("plays a whole phone call against the app and prints it", { timeout: 120_000 }, async () => {
    const simPort = await freePort();
    const secret = newWebhookSecret();
    const agents = await AgentCatalog.open([`${FIXTURES}desk.agent.yaml`], { log: () => {} });
    const serve = createServeApp({
      agents,
      config: { baseUrl: `http://127.0.0.1:${simPort}/v1` },
      apiKey: "sk-test-sim-call",
      webhookSecret: secret,
      log: () => {},
    });
    const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
      const s = serveNode({ fetch: serve.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    onTestFinished(async () => {
      await serve.calls.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agents.close();
    });
    const webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openai/webhook`;
    const run = await runCli(
      [
        "sim",
        "--port",
        String(simPort),
        "--pace",
        "0",
        "call",
        webhook,
        "--from",
        "+33612345678",
        "--say",
        "is room 12 free tonight",
      ],
      { env: testEnv({ OPENAI_WEBHOOK_SECRET: secret }), timeoutMs: 100_000 },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("webhook answered 200");
    expect(run.stdout).toContain("accepted");
    expect(run.stdout).toContain("agent : Hello, front desk, you are calling from +33612345678.");
    expect(run.stdout).toContain("caller: is room 12 free tonight");
    expect(run.stdout).toContain("agent : One moment, checking the room.");
    expect(run.stdout).toContain("call ended: caller_hangup");
  });

  it("needs the webhook secret", async () => {
    const run = await runCli(["sim", "call", "http://127.0.0.1:9/openai/webhook"], {
      env: testEnv(),
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("OPENAI_WEBHOOK_SECRET");
  });
});
