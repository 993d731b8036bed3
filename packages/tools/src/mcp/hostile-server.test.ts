import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { MCP_LIST_LIMITS, McpBridge } from "./bridge.ts";

// A real MCP server over stdio that misbehaves as its arguments say (test/fixtures/mcp/hostile-server.ts).
const fixtures = fileURLToPath(new URL("../../test/fixtures/mcp", import.meta.url));
const cli = fileURLToPath(new URL("../../../cli/bin/agent.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "parley-mcp-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open: McpBridge[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

/**
 * A bridge to the hostile server in `mode`. The connect timeout is generous (a start and a long listing take seconds
 * on a busy machine, and a bound must be what ends them, not the clock), except where the timeout is the subject.
 */
function hostile(
  mode: string,
  connectTimeout = 60_000,
): { bridge: McpBridge; starts: () => number } {
  const starts = join(dir, `starts-${open.length}-${mode}`);
  writeFileSync(starts, "");
  const bridge = new McpBridge({
    label: "hostile",
    command: process.execPath,
    args: ["hostile-server.mjs", mode, "--starts", starts],
    cwd: fixtures,
    connectTimeout,
  });
  open.push(bridge);
  return {
    bridge,
    starts: () => readFileSync(starts, "utf8").split("\n").filter(Boolean).length,
  };
}

describe("a bridged MCP server that lists without end", () => {
  it("an endless nextCursor ends the listing after the page bound with a clear error", async () => {
    const { bridge } = hostile("--endless-cursor");
    await expect(bridge.connect()).rejects.toMatchObject({
      code: "mcp_unreachable",
      message: expect.stringContaining(`more than ${MCP_LIST_LIMITS.pages} pages`),
    });
  });

  it("thousands of tools are refused at the tool bound", async () => {
    const { bridge } = hostile("--many-tools");
    await expect(bridge.connect()).rejects.toMatchObject({
      message: expect.stringContaining(`more than ${MCP_LIST_LIMITS.tools} tools`),
    });
  });

  it("a tools/list that never answers fails within the connect timeout", async () => {
    const { bridge } = hostile("--silent-list", 5000);
    await expect(bridge.connect()).rejects.toMatchObject({ code: "mcp_unreachable" });
  });
});

describe("a closed bridge stays closed", () => {
  it("list_changed news before close() does not re-spawn the server; refresh() after close() refuses", async () => {
    const { bridge, starts } = hostile("--late-change");
    let changes = 0;
    const changed = new Promise<void>((resolve) =>
      bridge.onToolsChanged(() => {
        if (++changes === 2) resolve();
      }),
    );
    await bridge.connect();
    // The server now announces changes in bursts every 30 ms: a debounce timer is armed for most of each cycle.
    await changed;
    await bridge.close();
    await expect(bridge.refresh()).rejects.toMatchObject({ code: "mcp_closed" });
    expect(bridge.connected).toBe(false);
    expect(starts()).toBe(1);
  });

  it("`agent validate` exits after loading an agent whose server keeps announcing changes", () => {
    const starts = join(dir, "validate-starts");
    writeFileSync(starts, "");
    const agent = join(dir, "late.agent.yaml");
    writeFileSync(
      agent,
      [
        "name: late-change",
        "instructions: Help.",
        "mcp:",
        "  - label: hostile",
        `    command: ${JSON.stringify(process.execPath)}`,
        `    args: [${JSON.stringify(join(fixtures, "hostile-server.mjs"))}, --late-change, --starts, ${JSON.stringify(starts)}]`,
        `    cwd: ${JSON.stringify(fixtures)}`,
        "    connectTimeout: 60s", // a start on a busy machine is slow; a second start would be the failure
        "",
      ].join("\n"),
    );
    // Before the fix the re-spawned server kept the process alive: the timeout here is the failure.
    const run = spawnSync(process.execPath, [cli, "validate", agent], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(starts, "utf8").split("\n").filter(Boolean)).toHaveLength(1);
  }, 90_000);
});
