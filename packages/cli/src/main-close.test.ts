// A command that loads an agent with a bridged MCP server must not leave its server process running.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { main } from "./main.ts";

const agentFile = fileURLToPath(
  new URL("../test/fixtures/main-close/bridged.agent.yaml", import.meta.url),
);

/** This process's children running the fixture MCP server. */
function mcpChildren(): string[] {
  try {
    return execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], {
      encoding: "utf8",
    })
      .split("\n")
      .filter((line) => line.includes("stdio-server.ts"));
  } catch {
    return []; // ps exits 1 when there is no child at all
  }
}

// Each start of the tsx MCP test server took up to 20 s on a loaded 2-core machine (tests that start it twice took 45 s):
// a safety net above that, not an expectation of speed.
describe("agent <command> with a bridged MCP server", { timeout: 120_000 }, () => {
  it("closes the agent's server process before returning", async () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await main(["validate", agentFile])).toBe(0);
    } finally {
      out.mockRestore();
    }
    await vi.waitFor(() => expect(mcpChildren()).toEqual([]), { timeout: 30_000 });
  });
});
