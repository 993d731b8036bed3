import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAgent, openSessionLog, type Session, startSession } from "@parley/core";
import { startLocalRealtime } from "@parley/local-realtime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { testEnv } from "../../test/helpers/cli.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import { runScenario } from "../scenario/run.ts";
import { runTests } from "../scenario/run-test.ts";
import { logToTest } from "./run-logs.ts";

// A step waits at most this long: generous, so a busy machine is never mistaken for a changed agent.
const SLOW_MACHINE = 30_000;
const fixtures = join(import.meta.dirname, "../../test/fixtures");
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-replay-"));
  cpSync(join(fixtures, "replay"), dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function quietIo() {
  const out = { stdout: "" };
  const stream = {
    isTTY: false,
    write: (t: string) => {
      out.stdout += t;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { out, io: { stdout: stream, stderr: stream, env: testEnv() } };
}

/** Resolves when the session's turn is over: its answer said and no call left running. */
function idle(session: Session): Promise<void> {
  return new Promise((resolve) => session.once("idle", () => resolve()));
}

/**
 * A real session on the local server (its rules model plays the voice model and the delegate's text model): two
 * calls of one tool with different outputs, a delegation whose text model calls that tool again, and an image.
 */
async function record(): Promise<string> {
  const logs = join(dir, "logs");
  const server = await startLocalRealtime({ port: 0, pace: 0 });
  try {
    const agent = await loadAgent(join(dir, "shop.agent.yaml"));
    const log = openSessionLog({ dir: logs, agent, variables: {} });
    const session = await startSession({ agent, url: server.url, onEvent: log.write });
    log.attach(session);
    const turns = [
      () => session.sendText('/call lookup_order {"order_id":"A1"}'),
      () => session.sendText('/call lookup_order {"order_id":"B2"}'),
      () =>
        session.sendText(
          `/call ask_specialist ${JSON.stringify({ question: '/call lookup_order {"order_id":"C3"}' })}`,
        ),
      () => session.sendImage(join(dir, "pixel.png"), { text: "what is on this label" }),
    ];
    for (const send of turns) {
      const done = idle(session);
      await send();
      await done;
    }
    await session.close();
    await log.close();
    return log.file;
  } finally {
    await server.close();
  }
}

describe("a recorded session replayed as a test", { timeout: 120_000 }, () => {
  it("mocks every call of a tool in order, replays delegations and images, and fails when the agent changes", async () => {
    const file = await record();
    const scenarioFile = join(dir, "shop.replay.test.yaml");
    await logToTest(file, dir, { output: scenarioFile }, quietIo().io);

    const scenario = parse(readFileSync(scenarioFile, "utf8"));
    expect(scenario.agent).toBe("shop.agent.yaml");
    // Each call's own output, in the order the calls ran (the delegation's nested call is the third).
    expect(scenario.mocks.lookup_order).toEqual([
      { output: { order_id: "A1", status: "shipped" } },
      { output: { order_id: "B2", status: "pending" } },
      { output: { order_id: "C3", status: "lost" } },
    ]);
    expect(scenario.mocks.ask_specialist).toBeUndefined();
    const steps = scenario.scenarios[0].steps as Record<string, unknown>[];
    expect(steps.slice(0, 6)).toEqual([
      { user: '/call lookup_order {"order_id":"A1"}' },
      { expect_tool: "lookup_order", args: { order_id: "A1" } },
      { expect_output: "lookup_order", state: "completed" },
      { user: '/call lookup_order {"order_id":"B2"}' },
      { expect_tool: "lookup_order", args: { order_id: "B2" } },
      { expect_output: "lookup_order", state: "completed" },
    ]);
    const delegation = steps.find((s) => "expect_delegation" in s);
    expect(delegation).toMatchObject({
      expect_delegation: "ask_specialist",
      calls: [{ lookup_order: { order_id: "C3" } }],
      reply: expect.any(String),
    });
    const image = steps.find((s) => "image" in s);
    expect(image).toEqual({ image: "shop.replay.image-1.png", text: "what is on this label" });
    expect(readFileSync(join(dir, "shop.replay.image-1.png"))).toEqual(
      readFileSync(join(dir, "pixel.png")),
    );

    // Replayed against the same agent: it passes, each call getting its own recorded output.
    const [loaded] = await loadScenarioFile(scenarioFile);
    const result = await runScenario(loaded as NonNullable<typeof loaded>, {
      stepTimeoutMs: SLOW_MACHINE,
    });
    expect(result.steps.filter((s) => s.status !== "passed")).toEqual([]);
    expect(result.status).toBe("passed");
    const outputs = result.transcript
      .filter((l) => l.role === "tool" && l.text.includes("lookup_order completed"))
      .map((l) => /"status":"(\w+)"/.exec(l.text)?.[1]);
    expect(outputs).toEqual(["shipped", "pending", "lost"]);
    expect(result.transcript).toContainEqual(
      expect.objectContaining({
        role: "user",
        text: "[image shop.replay.image-1.png] what is on this label",
      }),
    );

    // `agent test --from-log` on the same log passes too.
    const same = quietIo();
    expect(await runTests([], { fromLog: file, timeout: "30s" }, same.io)).toBe(0);
    expect(same.out.stdout).toContain("1 passed");

    // The specialist may no longer look orders up: the replay fails at the delegation's nested call.
    const agentFile = join(dir, "shop.agent.yaml");
    const original = readFileSync(agentFile, "utf8");
    writeFileSync(agentFile, original.replace("tools: [lookup_order]", "tools: []"));
    const noTools = quietIo();
    expect(await runTests([scenarioFile], { timeout: "30s" }, noTools.io)).toBe(1);
    expect(noTools.out.stdout).toMatch(
      /step 8: expect_delegation ask_specialist → lookup_order[\s\S]*expected ask_specialist's text model's call to lookup_order to complete, but it ended failed: .*unknown_tool/,
    );

    // lookup_order now takes `id`: the first replayed call is refused with invalid arguments.
    writeFileSync(
      agentFile,
      original
        .replace("order_id: { type: string }", "id: { type: string }")
        .replace("required: [order_id]", "required: [id]"),
    );
    const renamed = quietIo();
    expect(await runTests([scenarioFile], { timeout: "30s" }, renamed.io)).toBe(1);
    expect(renamed.out.stdout).toMatch(/step 3: expect_output lookup_order[\s\S]*ended failed/);
    // Replays record no session logs of their own.
    expect(readdirSync(join(dir, "logs")).filter((f) => f.endsWith(".jsonl"))).toHaveLength(1);
  });
});
