// agent serve as a real child process: SIGTERM drains (refuses new calls, ends running ones with the goodbye).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { newWebhookSecret, startLocalRealtime } from "@parley/local-realtime";
import { describe, expect, it, onTestFinished } from "vitest";
import { BIN, testEnv } from "../../test/helpers/cli.ts";
import { FIXTURES } from "../../test/helpers/serve.ts";

describe("agent serve on SIGTERM", () => {
  it("stops taking calls, ends the running call with its goodbye after the drain limit, then exits 0", {
    timeout: 120_000,
  }, async () => {
    const local = await startLocalRealtime({ pace: 0 });
    onTestFinished(() => local.close());
    const secret = newWebhookSecret();
    const child = spawn(
      process.execPath,
      [BIN, "serve", "--config", `${FIXTURES}drain-serve.yaml`, "--port", "0"],
      {
        env: testEnv({
          OPENAI_API_KEY: "sk-test-drain",
          OPENAI_WEBHOOK_SECRET: secret,
          OPENAI_BASE_URL: local.baseURL,
        }),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    onTestFinished(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
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
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => resolve(code)),
    );

    const { port } = (await logged("serving")) as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const call = await local.simulateIncomingCall({ webhookUrl: `${base}/openai/webhook`, secret });
    expect((await call.answered).type).toBe("accepted");
    await call.waitForAgent(/Hello, front desk/);

    child.kill("SIGTERM");
    await logged("draining");
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    const late = await local.simulateIncomingCall({ webhookUrl: `${base}/openai/webhook`, secret });
    expect(await late.answered).toEqual({ type: "rejected", status: 503 });

    expect(await call.waitForAgent("goodbye")).toBe("We are closing the line now, goodbye.");
    expect(await call.ended).toBe("hangup");
    expect(await exited).toBe(0);
    expect(lines.find((l) => l.msg === "call summary")).toMatchObject({
      callId: call.callId,
      reason: "closed",
    });
    expect(lines.at(-1)?.msg).toBe("stopped");
    // Secrets never reach the log.
    expect(JSON.stringify(lines)).not.toContain(secret);
    expect(JSON.stringify(lines)).not.toContain("sk-test-drain");
  });
});
