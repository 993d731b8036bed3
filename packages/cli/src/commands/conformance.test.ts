import { defineModel, startLocalRealtime } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, testEnv } from "../../test/helpers/cli.ts";

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe("agent conformance", { timeout: 90_000 }, () => {
  it("without a key runs the flows locally and says the live part was skipped", async () => {
    const run = await runCli(["conformance", "--flow", "connect,bad-input"], { timeoutMs: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ connect: \d+ steps locally/);
    expect(run.stdout).toMatch(/✓ bad-input: \d+ steps locally/);
    expect(run.stdout).toContain("the live part was skipped (set OPENAI_API_KEY");
  });

  it("prints where two differently configured servers differ, and exits 1", async () => {
    const local = await startLocalRealtime({ pace: 0 });
    // The other side: a model that never calls tools, voice and all else as the API's defaults.
    const other = await startLocalRealtime({
      pace: 0,
      model: defineModel({ name: "talker", respond: () => [{ say: "Hi." }] }),
    });
    servers.push(local, other);
    const run = await runCli(
      [
        "conformance",
        "--local",
        `${local.url}?model=gpt-realtime`,
        "--against",
        `${other.url}?model=gpt-realtime`,
        "--flow",
        "function-call,bad-input",
      ],
      { env: testEnv({ OPENAI_API_KEY: "sk-never-printed-1234" }), timeoutMs: 60_000 },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ function-call: \d+ differences/);
    expect(run.stdout).toContain(
      'response.output_item.added #1 item.type: local "function_call", other "message"',
    );
    expect(run.stdout).toContain("✓ bad-input: same events, codes and fields");
    expect(run.stdout).toContain("2 flows: 1 same, 1 differ (local vs other)");
    expect(run.stdout + run.stderr).not.toContain("sk-never-printed-1234");
  });

  it("refuses --live without a key, and an unknown flow, with a message and no stack trace", async () => {
    const live = await runCli(["conformance", "--live"], { timeoutMs: 30_000 });
    expect(live.code).toBe(2);
    expect(live.stderr).toContain("--live needs OPENAI_API_KEY");
    const flow = await runCli(["conformance", "--flow", "nope"], { timeoutMs: 30_000 });
    expect(flow.code).toBe(2);
    expect(flow.stderr).toContain('unknown flow "nope"');
    expect(flow.stderr).not.toMatch(/\n\s+at /);
  });
});
