// The Realtime API's own MCP approvals, end to end: a real MCP server (SDK, streamable HTTP) on loopback, the local
// Realtime server calling it, and this agent's approval policy answering each `mcp_approval_request`.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalRealtime } from "@parley/local-realtime";
import { validateClientEvent } from "@parley/local-realtime/conformance";
import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import { afterEach, describe, expect, it } from "vitest";
// The local server's own test MCP server: a real McpServer with check_stock and delete_item.
import { startMcpServer } from "../../../local-realtime/test/mcp-server.ts";
import { codeApprover } from "../approval/approvers/code.ts";
import { loadAgent } from "../load/index.ts";
import type { Session } from "../runtime/session.ts";
import { startSession } from "../runtime/start-session.ts";

const AGENT = new URL("../../test/fixtures/scheduler/mcp.agent.yaml", import.meta.url).pathname;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function answerAfter(session: Session): Promise<string> {
  return new Promise((resolve) => {
    const listener = (e: { kind: string; transcript: string }) => {
      if (e.kind !== "answer") return;
      session.off("agent.transcript.done", listener as never);
      resolve(e.transcript);
    };
    session.on("agent.transcript.done", listener as never);
  });
}

describe("MCP approval requests over a real socket", () => {
  it("are answered by the agent's policy: auto-approved, approved by condition, or denied by the approver; all audited", async () => {
    const mcp = await startMcpServer();
    cleanup.push(() => mcp.close());
    const server = await startLocalRealtime({ port: 0, pace: 0 });
    cleanup.push(() => server.close());
    process.env.PARLEY_TEST_MCP_URL = mcp.url;
    cleanup.push(async () => {
      delete process.env.PARLEY_TEST_MCP_URL;
    });
    const agent = await loadAgent(AGENT);
    const auditPath = join(mkdtempSync(join(tmpdir(), "parley-mcp-")), "approvals.jsonl");
    const asked: string[] = [];
    const sent: RealtimeClientEvent[] = [];
    const invalid: string[] = [];
    const session = await startSession({
      agent,
      url: server.url,
      scheduler: {
        auditLog: auditPath,
        approvers: [
          codeApprover((req) => {
            asked.push(`${req.serverLabel}/${req.tool} ${JSON.stringify(req.arguments)}`);
            return { approved: false, reason: "lamps stay" };
          }),
        ],
      },
      on: {
        "client.event": (e) => {
          sent.push(e);
          invalid.push(...validateClientEvent(e).map((p) => `${e.type}: ${p}`));
        },
      },
    });
    cleanup.push(() => session.close());

    // No rule asks for umbrellas: approved by policy, the MCP server runs the delete.
    let answer = answerAfter(session);
    session.sendText('/call delete_item {"item":"umbrella"}');
    expect(await answer).toBe("Here's what I got: deleted umbrella");
    // Anything else matches `args.item != 'umbrella'`: the code approver is asked and says no.
    answer = answerAfter(session);
    session.sendText('/call delete_item {"item":"lamp"}');
    expect(await answer).toBe("Okay, I won't go ahead with that.");

    expect(asked).toEqual(['inventory/delete_item {"item":"lamp"}']);
    expect(mcp.calls).toEqual([{ name: "delete_item", args: { item: "umbrella" } }]);
    const responses = sent.flatMap((e) =>
      e.type === "conversation.item.create" && e.item.type === "mcp_approval_response"
        ? [e.item]
        : [],
    );
    expect(responses.map((r) => [r.approve, r.reason])).toEqual([
      [true, undefined],
      [false, "lamps stay"],
    ]);
    expect(invalid).toEqual([]);
    await session.close();
    const audit = readFileSync(auditPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(
      audit.map((l) => [l.kind, l.server_label, l.tool, l.arguments, l.decision, l.approver]),
    ).toEqual([
      ["mcp", "inventory", "delete_item", { item: "umbrella" }, "approved", "policy"],
      ["mcp", "inventory", "delete_item", { item: "lamp" }, "rejected", "code"],
    ]);
  });
});
