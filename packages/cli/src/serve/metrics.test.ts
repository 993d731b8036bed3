// GET /metrics: the calls' OpenTelemetry metrics in the Prometheus text format, from a real `agent serve` process.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { newWebhookSecret, startLocalRealtime } from "@parley/local-realtime";
import { describe, expect, it, onTestFinished } from "vitest";
import { BIN, testEnv } from "../../test/helpers/cli.ts";
import { FIXTURES } from "../../test/helpers/serve.ts";
import { ServeMetrics } from "./metrics.ts";

/** One sample's value from a Prometheus text body: `name{labels…} value`, labels matched as given. */
function sample(
  body: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of body.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("agent serve's /metrics", () => {
  it("after a call: sessions, turns, tool calls by outcome, latency and cost; the token guards it", {
    timeout: 120_000,
  }, async () => {
    const local = await startLocalRealtime({ pace: 0 });
    onTestFinished(() => local.close());
    const secret = newWebhookSecret();
    const token = "metrics-token-for-the-test";
    const child = spawn(
      process.execPath,
      [BIN, "serve", "--config", `${FIXTURES}drain-serve.yaml`, "--port", "0"],
      {
        env: testEnv({
          OPENAI_API_KEY: "sk-test-metrics",
          OPENAI_WEBHOOK_SECRET: secret,
          OPENAI_BASE_URL: local.baseURL,
          PARLEY_METRICS_TOKEN: token,
        }),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    onTestFinished(async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    });
    const lines: Record<string, unknown>[] = [];
    const waiters: (() => void)[] = [];
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
      for (const w of waiters.splice(0)) w();
    });
    const logged = (msg: string) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const look = () => {
          const found = lines.find((l) => l.msg === msg);
          if (found) resolve(found);
          else waiters.push(look);
        };
        look();
      });

    const { port } = (await logged("serving")) as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const call = await local.simulateIncomingCall({ webhookUrl: `${base}/openai/webhook`, secret });
    expect((await call.answered).type).toBe("accepted");
    await call.waitForAgent(/Hello, front desk/);
    await call.say("is room 12 free tonight");
    expect(await call.waitForAgent(/room 12/)).toMatch(/free/);
    call.hangUp();
    await logged("call summary");

    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${base}/metrics`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(`${base}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await scraped.text();
    const desk = { parley_agent: "desk" };
    expect(
      sample(body, "parley_sessions_total", {
        ...desk,
        parley_session_close_reason: "socket_closed",
      }),
      body,
    ).toBe(1);
    expect(sample(body, "parley_sessions_active", desk), body).toBe(0);
    expect(sample(body, "parley_turns_total", desk), body).toBeGreaterThanOrEqual(1);
    expect(
      sample(body, "parley_tool_calls_total", {
        ...desk,
        gen_ai_tool_name: "check_room",
        parley_tool_outcome: "completed",
      }),
      body,
    ).toBe(1);
    expect(sample(body, "parley_turn_first_answer_count", desk), body).toBeGreaterThanOrEqual(1);
    expect(sample(body, "parley_cost_total", desk), body).toBeGreaterThan(0);
    expect(sample(body, "parley_serve_calls"), body).toBe(0);
    // The token never reaches the log.
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it("without a token, answers only clients on this machine", async () => {
    const metrics = new ServeMetrics({}, () => ({ size: 2, draining: false }));
    onTestFinished(() => metrics.shutdown());
    expect((await metrics.respond(new Headers(), "10.1.2.3")).status).toBe(403);
    expect((await metrics.respond(new Headers(), undefined)).status).toBe(403);
    const local = await metrics.respond(new Headers(), "::ffff:127.0.0.1");
    expect(local.status).toBe(200);
    expect(sample(await local.text(), "parley_serve_calls")).toBe(2);
  });
});
