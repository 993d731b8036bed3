// A delegate's remote MCP server end to end: the session's `openai` client sends the agent's compiled `type: "mcp"`
// tool to the local server's POST /v1/responses, which (as the API does) lists and calls the project's real test MCP
// server itself; the API's approval requests are decided by the agent's policy and approvers.
import { afterEach, describe, expect, it } from "vitest";
// The local server's own test MCP server: a real McpServer with check_stock, delete_item and explode.
import { startMcpServer } from "../../../local-realtime/test/mcp-server.ts";
import { codeApprover } from "../approval/approvers/code.ts";
import { next, open, startServer } from "../runtime/test-support/harness.ts";
import type { SchedulerEvent } from "../scheduler/events.ts";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe("a delegate with remote MCP servers", () => {
  it("its text model's MCP calls run in the Responses API, approved by the agent's policy", async () => {
    const mcp = await startMcpServer();
    cleanup.push(() => mcp.close());
    const server = await startServer();
    cleanup.push(() => server.close());
    process.env.PARLEY_TEST_MCP_URL = mcp.url;
    cleanup.push(async () => {
      delete process.env.PARLEY_TEST_MCP_URL;
    });
    const asked: string[] = [];
    const rec = await open(server, "delegate/stock.agent.yaml", {
      scheduler: {
        approvers: [
          codeApprover((req) => {
            asked.push(req.tool);
            return { approved: false, reason: "no" };
          }),
        ],
      },
    });
    cleanup.push(() => rec.session.close());
    const steps: SchedulerEvent[] = [];
    rec.session.on("delegation.step", (e) => steps.push(e));
    const done = next(rec.session, "delegation.done");
    const said = next(
      rec.session,
      "agent.transcript.done",
      (e) => e.kind === "answer" && /12/.test(e.transcript),
    );
    rec.session.sendText('/call stock_expert {"question":"how many umbrellas are in stock"}');
    const delegation = await done;
    expect(delegation).toMatchObject({ tool: "stock_expert", state: "answered", steps: 2 });
    expect(delegation.answer).toContain("12");
    await said;
    // The API asked for approval (the server's approval: always); the policy's `never` for check_stock approved it
    // without a person, and the second request ran the call on the real MCP server.
    expect(asked).toEqual([]);
    expect(mcp.calls).toEqual([{ name: "check_stock", args: { item: "umbrella" } }]);
    expect(steps.map((s) => (s as { calls: string[] }).calls)).toEqual([
      [],
      ["inventory/check_stock"],
    ]);
    expect(server.textRequests).toBe(2);
    expect(rec.invalid).toEqual([]);
  });
});
