// A loaded agent owns its MCP bridges: closing it (or its loader) ends its server process and no other's, and
// closeAllMcpBridges() (for bridges opened without an owner, see bridge.test.ts) leaves agents' bridges alone.
import { fileURLToPath } from "node:url";
import { createLoader, type LoadedAgent } from "@parley/core";
import { afterAll, describe, expect, it } from "vitest";
import { testContext } from "../../test/tool-context.ts";
import { closeAllMcpBridges } from "./index.ts";

const bridged = fileURLToPath(
  new URL("../../test/fixtures/agents/owned-bridge.agent.yaml", import.meta.url),
);
const first = createLoader();
const second = createLoader();
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
  await closeAllMcpBridges();
});

/** The pid of the MCP server process behind an agent's bridge (the fixture server's `pid` tool). */
async function serverPid(agent: LoadedAgent): Promise<number> {
  const pid = agent.tools.find((t) => t.name === "local_pid");
  return Number(String(await pid?.run({}, testContext().ctx)));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once the process is gone (the bridge's close ends the child; the OS reaps it right after). */
async function gone(pid: number): Promise<void> {
  while (alive(pid)) await new Promise((resolve) => setImmediate(resolve));
}

describe("MCP bridge ownership", () => {
  it("closing one loader ends its agent's server and not the other loader's; closeAllMcpBridges spares both", {
    timeout: 120_000,
  }, async () => {
    const a = await first.load(bridged);
    const b = await second.load(bridged);
    const pidA = await serverPid(a);
    const pidB = await serverPid(b);
    expect(pidA).not.toBe(pidB);

    await closeAllMcpBridges(); // no unowned bridges: the agents' own stay up
    expect(alive(pidA)).toBe(true);
    expect(alive(pidB)).toBe(true);

    await first.close();
    await gone(pidA);
    expect(alive(pidB)).toBe(true);
    expect(await serverPid(b)).toBe(pidB); // still answering through the same connection
  });
});
