// A bridged MCP server that changes its tool list mid-session: the session follows (session.update + scheduler).
import { fileURLToPath } from "node:url";
import { loadAgent, type SessionEvents, startSession } from "@parley/core";
import { type LocalRealtime, startLocalRealtime } from "@parley/local-realtime";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeAllMcpBridges } from "./index.ts";

const agentFile = fileURLToPath(
  new URL("../../test/fixtures/agents/bridged.agent.yaml", import.meta.url),
);

let server: LocalRealtime;
beforeAll(async () => {
  server = await startLocalRealtime({ port: 0, pace: 0 });
});
afterAll(async () => {
  await closeAllMcpBridges();
  await server.close();
});

type Output = Parameters<SessionEvents["tool.output"]>[0];

// Each start of the tsx MCP test server took up to 20 s on a loaded 2-core machine (tests that start it twice took 45 s):
// a safety net above that, not an expectation of speed.
describe("a bridged server's tool list changes during a session", { timeout: 120_000 }, () => {
  it("the new tool reaches the model (session.update) and runs; closing the session closes the bridge", async () => {
    const agent = await loadAgent(agentFile);
    expect(agent.tools.map((t) => t.name)).not.toContain("local_extra");
    const session = await startSession({ agent, url: server.url });
    const updates: string[][] = [];
    session.on("client.event", (e) => {
      if (e.type !== "session.update" || e.session.type !== "realtime") return;
      updates.push(
        (e.session.tools ?? []).flatMap((t) => (t.type === "function" && t.name ? [t.name] : [])),
      );
    });
    const outputs: Output[] = [];
    session.on("tool.output", (e) => void outputs.push(e));

    session.sendText("/call local_toggle_extra {}");
    await vi.waitFor(
      () => expect(session.agent?.tools.map((t) => t.name)).toContain("local_extra"),
      {
        timeout: 30_000,
      },
    );
    expect(updates.at(-1)).toEqual(["local_add", "local_pid", "local_toggle_extra", "local_extra"]);

    session.sendText("/call local_extra {}");
    await vi.waitFor(() => expect(outputs.map((o) => o.tool)).toContain("local_extra"), {
      timeout: 30_000,
    });
    const extra = outputs.find((o) => o.tool === "local_extra");
    expect(extra?.state).toBe("completed");
    expect(extra?.output).toContain("extra!");

    // Removed again: the tool leaves the session.
    session.sendText("/call local_toggle_extra {}");
    await vi.waitFor(
      () => expect(session.agent?.tools.map((t) => t.name)).not.toContain("local_extra"),
      { timeout: 30_000 },
    );
    session.sendText("/call local_pid {}");
    await vi.waitFor(() => expect(outputs.map((o) => o.tool)).toContain("local_pid"), {
      timeout: 30_000,
    });
    const pid = Number(outputs.find((o) => o.tool === "local_pid")?.output.replace(/\D/g, ""));
    expect(alive(pid)).toBe(true);
    await session.close();
    // The session closed its agent: the bridge ended the server's process.
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 30_000 });
  });
});

describe("sessions sharing one loaded agent", { timeout: 120_000 }, () => {
  it("the bridged server stays up until the last session closes", async () => {
    const agent = await loadAgent(agentFile);
    const one = await startSession({ agent, url: server.url });
    const two = await startSession({ agent, url: server.url });
    const pidOf = async (session: typeof one): Promise<number> => {
      const output = new Promise<Output>((resolve) =>
        session.on("tool.output", (e) => e.tool === "local_pid" && resolve(e)),
      );
      session.sendText("/call local_pid {}");
      return Number((await output).output.replace(/\D/g, ""));
    };
    const pid = await pidOf(one);
    await one.close();
    expect(alive(pid)).toBe(true);
    expect(await pidOf(two)).toBe(pid); // the same connection, still open
    await two.close();
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 30_000 });
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
