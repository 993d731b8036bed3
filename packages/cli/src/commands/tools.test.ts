import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runTools, type ToolListing } from "./tools.ts";

const fixtures = fileURLToPath(new URL("../../test/fixtures/tools-command", import.meta.url));

async function run(file: string, json = false, columns?: number) {
  let stdout = "";
  let stderr = "";
  const code = await runTools(
    file.startsWith("/") ? file : `${fixtures}/${file}`,
    { json },
    {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      ...(columns ? { columns } : {}),
    },
  );
  return { code, stdout, stderr };
}

describe("agent tools", () => {
  it("lists every resolved tool with where it came from, as JSON", async () => {
    const { code, stdout, stderr } = await run("front-desk.agent.yaml", true);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as ToolListing[];
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(rows.map((r) => r.name)).toEqual([
      "current_time",
      "search_knowledge",
      "say_hello",
      "ping",
      "add",
      "search_docs",
    ]);
    expect(by.current_time).toMatchObject({
      kind: "pack",
      pack: "@parley/tools/clock@0.1.0",
      approval: "never",
      timeoutMs: 2000,
      filler: false,
    });
    expect(by.search_knowledge).toMatchObject({
      kind: "pack",
      pack: "@parley/tools/knowledge@0.1.0",
    });
    // A local pack, renamed, with an override from the agent file.
    expect(by.say_hello).toMatchObject({
      kind: "pack",
      pack: "greetings@2.1.0",
      approval: "always",
      examples: 1,
    });
    expect(by.say_hello?.file).toMatch(/packs\/greetings\.ts$/);
    expect(by.ping).toMatchObject({ kind: "inline" });
    expect(by.ping?.file).toMatch(/front-desk\.agent\.yaml$/);
    // A local MCP server bridged over stdio: only its allowed tool, read from the running server.
    expect(by.add).toMatchObject({
      kind: "mcp",
      server: "calc",
      description: "Adds two numbers",
      approval: "never",
    });
    expect(by.search_docs).toMatchObject({
      kind: "remote-mcp",
      server: "docs",
      source: "remote mcp docs (https://mcp.example.com/sse)",
    });
  });

  it("prints a table by default", async () => {
    const { code, stdout } = await run("front-desk.agent.yaml");
    expect(code).toBe(0);
    expect(stdout).toMatch(/front-desk\.agent\.yaml: 5 tools, 1 remote MCP server/);
    expect(stdout).toMatch(/^TOOL +FROM +APPROVAL +TIMEOUT +FILLER$/m);
    expect(stdout).toMatch(/^current_time +@parley\/tools\/clock@0\.1\.0 +never +2s +off$/m);
    expect(stdout).toMatch(/^add +mcp calc/m);
  });

  it("lists handoff tools, counts as validate does, and fits 80 columns", async () => {
    const support = fileURLToPath(
      new URL("../../../../agents/support/support.agent.md", import.meta.url),
    );
    const { code, stdout } = await run(support, false, 80);
    expect(code).toBe(0);
    // Counted by toolCountText, which `agent validate` prints too.
    expect(stdout).toMatch(/support\.agent\.md: 4 tools, 1 remote MCP server/);
    expect(stdout).toMatch(/^transfer_to_billing +handoff to .* +n\/a +n\/a +n\/a$/m);
    // Defaults are shown as the values that apply; "n/a" only where a column does not apply.
    expect(stdout).toMatch(/^end_call +\S+ +never +30s +off$/m);
    for (const line of stdout.split("\n")) expect([...line].length).toBeLessThanOrEqual(79);
    expect(stdout).not.toMatch(/ - /);
  });

  it("reports a pack that cannot be found as a located error, exit 1", async () => {
    const { code, stdout, stderr } = await run("broken.agent.yaml");
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/error\[pack_not_found\] .*broken\.agent\.yaml:3:10/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("lists the other tools and warns, naming the server, when a local MCP server is unreachable", async () => {
    const { code, stdout, stderr } = await run("offline-mcp.agent.yaml", true);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as ToolListing[]).map((r) => r.name)).toEqual(["current_time"]);
    expect(stderr).toMatch(/warning\[pack_warning\] .*offline-mcp\.agent\.yaml:6:10/);
    expect(stderr).toContain(
      'MCP server "inventory": cannot connect (stdio: no-such-inventory-server)',
    );
  });
});
