import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ApprovalRequest } from "../approval/approver.ts";
import { codeApprover } from "../approval/approvers/code.ts";
import { terminalApprover } from "../approval/approvers/terminal.ts";
import { defineTool } from "../tool/index.ts";
import { RecordingHost } from "./test-support/recording-host.ts";
import { ToolScheduler, type ToolSchedulerOptions } from "./tool-scheduler.ts";

const call = (id: string, name: string, args: unknown) => ({
  type: "function_call" as const,
  call_id: id,
  name,
  arguments: JSON.stringify(args),
});

function refundTool(approval: Parameters<typeof defineTool>[0]["approval"]) {
  const ran: unknown[] = [];
  const tool = defineTool({
    name: "refund",
    description: "refunds a payment",
    parameters: z.object({ amount: z.number(), card_token: z.string().optional() }),
    approval,
    filler: false,
    run: (args) => {
      ran.push(args);
      return { refunded: args.amount };
    },
  });
  return { tool, ran };
}

/** An approver the test answers by hand. */
function manualApprover(name = "manual") {
  const asked: {
    request: ApprovalRequest;
    answer: (approved: boolean, reason?: string) => void;
  }[] = [];
  const approver = {
    name,
    ask: (request: ApprovalRequest) =>
      new Promise<{ approved: boolean; reason?: string; by?: string }>((resolve) => {
        asked.push({
          request,
          answer: (approved, reason) =>
            resolve({ approved, by: "alice", ...(reason ? { reason } : {}) }),
        });
      }),
  };
  return { approver, asked };
}

function setup(options: ToolSchedulerOptions) {
  const host = new RecordingHost({ responseMs: 100 });
  const dir = mkdtempSync(join(tmpdir(), "parley-audit-"));
  const auditPath = join(dir, "audit.jsonl");
  const scheduler = new ToolScheduler(host, {
    sessionId: "sess_1",
    auditLog: auditPath,
    wallNow: () => Date.UTC(2026, 10, 25, 10, 0, 0),
    ...options,
  });
  const audit = async () => {
    await scheduler.close();
    return readFileSync(auditPath, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  };
  return { host, scheduler, audit };
}

describe("approvals", () => {
  it("an approved call runs only after the decision, and the decision is audited with secrets redacted", async () => {
    const { tool, ran } = refundTool("always");
    const { approver, asked } = manualApprover();
    const { host, scheduler, audit } = setup({ tools: [tool], approvers: [approver] });
    scheduler.onFunctionCall(
      call("c1", "refund", { amount: 250, card_token: "sk-live-0123456789abcdef" }),
    );
    await host.clock.advance(5000);
    expect(ran).toHaveLength(0);
    expect(scheduler.stateOf("c1")).toBe("awaiting_approval");
    expect(asked[0]?.request).toMatchObject({
      kind: "function",
      tool: "refund",
      callId: "c1",
      sessionId: "sess_1",
      arguments: { amount: 250, card_token: "[redacted]" },
    });
    asked[0]?.answer(true);
    await host.clock.advance(0);
    expect(ran).toEqual([{ amount: 250, card_token: "sk-live-0123456789abcdef" }]);
    expect(host.outputOf("c1")).toEqual({ refunded: 250 });
    expect(await audit()).toEqual([
      {
        time: "2026-11-25T10:00:00.000Z",
        session: "sess_1",
        call_id: "c1",
        kind: "function",
        tool: "refund",
        arguments: { amount: 250, card_token: "[redacted]" },
        decision: "approved",
        approver: "manual",
        by: "alice",
      },
    ]);
  });

  it("a denied call never runs and the model is told why", async () => {
    const { tool, ran } = refundTool("always");
    const { host, scheduler, audit } = setup({
      tools: [tool],
      approvers: [codeApprover(() => ({ approved: false, reason: "refunds are paused" }))],
    });
    scheduler.onFunctionCall(call("c1", "refund", { amount: 5 }));
    await host.clock.advance(0);
    expect(ran).toHaveLength(0);
    expect(host.outputOf("c1")).toEqual({
      error: { code: "approval_denied", message: "refund was not approved: refunds are paused" },
    });
    await host.clock.advance(25);
    expect(host.answersStarted()).toHaveLength(1);
    expect((await audit())[0]).toMatchObject({
      decision: "rejected",
      approver: "code",
      reason: "refunds are paused",
    });
  });

  it("an approver that answers undefined, a truthy non-boolean or throws denies, even with onTimeout: approve", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const answers: (() => unknown)[] = [
        () => undefined,
        () => "yes",
        () => ({ approved: "true" }),
        () => null,
        () => {
          throw new Error("approver crashed with Bearer abcdefghijklmnop");
        },
      ];
      for (const [i, answer] of answers.entries()) {
        const { tool, ran } = refundTool({ when: "true", timeout: 1000, onTimeout: "approve" });
        const custom = { name: "custom", ask: async () => answer() as never };
        for (const approver of [codeApprover(answer as never), custom]) {
          const { host, scheduler } = setup({ tools: [tool], approvers: [approver] });
          scheduler.onFunctionCall(call(`c${i}`, "refund", { amount: 5 }));
          await host.clock.advance(0);
          expect(host.outputOf(`c${i}`)).toMatchObject({ error: { code: "approval_denied" } });
          await host.clock.advance(5000); // past the timeout: nothing more happens
          expect(ran).toHaveLength(0);
          expect(JSON.stringify(host.outputs())).not.toContain("abcdefghijklmnop");
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("an untyped parameter of another kind asks (fails closed), and prototype keys never reach the handler", async () => {
    const seen: unknown[] = [];
    const tool = defineTool({
      name: "refund",
      description: "refunds a payment",
      parameters: { type: "object", properties: { amount: {}, note: {} } },
      approval: { when: "args.amount > 50" },
      filler: false,
      // A handler that copies its arguments the common way: Object.assign would follow a __proto__ key.
      run: (args) => {
        const copy = Object.assign({}, args) as { amount?: unknown };
        seen.push(copy.amount);
        return "ok";
      },
    });
    const { approver, asked } = manualApprover();
    const { host, scheduler } = setup({ tools: [tool], approvers: [approver] });
    const sneaky = ['"5000"', "[5000]", '{"value":5000}'];
    for (const [i, amount] of sneaky.entries())
      scheduler.onFunctionCall({
        type: "function_call",
        call_id: `c${i}`,
        name: "refund",
        arguments: `{"amount":${amount}}`,
      });
    scheduler.onFunctionCall({
      type: "function_call",
      call_id: "proto",
      name: "refund",
      arguments: '{"__proto__":{"amount":5000},"note":{"constructor":{"prototype":{"x":1}}}}',
    });
    await host.clock.advance(0);
    expect(asked.map((a) => a.request.callId)).toEqual(["c0", "c1", "c2"]);
    for (const a of asked) a.answer(false, "no");
    await host.clock.advance(0);
    expect(seen).toEqual([undefined]);
    expect(host.outputOf("proto")).toBe("ok");
  });

  it("with no approver configured, calls needing approval are denied", async () => {
    const { tool, ran } = refundTool("always");
    const { host, scheduler } = setup({ tools: [tool] });
    scheduler.onFunctionCall(call("c1", "refund", { amount: 5 }));
    await host.clock.advance(0);
    expect(ran).toHaveLength(0);
    expect(host.outputOf("c1")).toMatchObject({
      error: {
        code: "approval_denied",
        message: expect.stringContaining("no approver is configured"),
      },
    });
  });

  it("times out as rejected after the rule's timeout, telling the model why; onTimeout: approve runs it", async () => {
    const { tool, ran } = refundTool({ when: "args.amount > 100", timeout: "10s" });
    const { approver, asked } = manualApprover();
    const { host, scheduler, audit } = setup({ tools: [tool], approvers: [approver] });
    scheduler.onFunctionCall(call("c1", "refund", { amount: 500 }));
    await host.clock.advance(9999);
    expect(host.outputs()).toHaveLength(0);
    await host.clock.advance(1);
    expect(host.outputOf("c1")).toEqual({
      error: {
        code: "approval_timeout",
        message: "refund was not run: no decision from the manual approver within 10s",
      },
    });
    expect(asked[0]?.request.signal.aborted).toBe(true);
    asked[0]?.answer(true); // too late
    await host.clock.advance(0);
    expect(ran).toHaveLength(0);
    expect((await audit())[0]).toMatchObject({ decision: "rejected", approver: "timeout" });

    const lenient = refundTool({ when: "args.amount > 100", timeout: 1000, onTimeout: "approve" });
    const second = setup({ tools: [lenient.tool], approvers: [manualApprover().approver] });
    second.scheduler.onFunctionCall(call("c2", "refund", { amount: 500 }));
    await second.host.clock.advance(1000);
    expect(lenient.ran).toHaveLength(1);
  });

  it("asks only when the condition matches, and audits the calls it let through", async () => {
    const { tool, ran } = refundTool({ when: "args.amount > 100" });
    const { approver, asked } = manualApprover();
    const { host, scheduler, audit } = setup({ tools: [tool], approvers: [approver] });
    scheduler.onFunctionCall(call("small", "refund", { amount: 20 }));
    scheduler.onFunctionCall(call("big", "refund", { amount: 200 }));
    await host.clock.advance(0);
    expect(ran).toEqual([{ amount: 20 }]);
    expect(asked.map((a) => a.request.callId)).toEqual(["big"]);
    asked[0]?.answer(false, "too much");
    await host.clock.advance(0);
    expect((await audit()).map((l) => [l.call_id, l.decision, l.approver])).toEqual([
      ["small", "approved", "policy"],
      ["big", "rejected", "manual"],
    ]);
  });

  it("the agent policy's per-tool rule and default apply to tools without their own", async () => {
    const { tool, ran } = refundTool(undefined);
    const { host, scheduler } = setup({ tools: [tool], approval: { default: "always" } });
    scheduler.onFunctionCall(call("c1", "refund", { amount: 1 }));
    await host.clock.advance(0);
    expect(ran).toHaveLength(0);
    expect(host.outputOf("c1")).toMatchObject({ error: { code: "approval_denied" } });
  });

  it("while waiting, the agent says it is waiting for confirmation, and stops once decided", async () => {
    const { tool } = refundTool("always");
    const { approver, asked } = manualApprover();
    const { host, scheduler } = setup({
      tools: [tool],
      approvers: [approver],
      approvalFiller: { lines: ["I need a quick confirmation first."] },
    });
    scheduler.onFunctionCall(call("c1", "refund", { amount: 1 }));
    await host.clock.advance(1500);
    expect(
      host
        .fillersStarted()
        .map((f) => [f.at, f.response?.instructions, f.response?.metadata?.phase]),
    ).toEqual([[1500, 'Say exactly: "I need a quick confirmation first."', "approval"]]);
    asked[0]?.answer(true);
    await host.clock.advance(60_000);
    expect(host.fillersStarted()).toHaveLength(1);
  });

  it("an interruption cancels a call waiting for approval when the tool says cancel, and the approver stops waiting", async () => {
    const { approver, asked } = manualApprover();
    const tool = defineTool({
      name: "wire",
      description: "",
      parameters: z.object({}),
      approval: "always",
      onInterrupt: "cancel",
      run: () => "sent",
    });
    const { host, scheduler } = setup({ tools: [tool], approvers: [approver] });
    scheduler.onFunctionCall(call("c1", "wire", {}));
    await host.clock.advance(0);
    scheduler.onInterrupt();
    expect(asked[0]?.request.signal.aborted).toBe(true);
    asked[0]?.answer(true);
    await host.clock.advance(0);
    expect(host.outputOf("c1")).toMatchObject({ error: { code: "cancelled" } });
  });

  it("the terminal approver asks a one-line question with redacted arguments", async () => {
    const questions: string[] = [];
    const { tool, ran } = refundTool({ when: "args.amount > 100" });
    const { host, scheduler } = setup({
      tools: [tool],
      approvers: [
        terminalApprover({
          ask: async (q) => {
            questions.push(q);
            return true;
          },
        }),
      ],
      approval: { approver: "console" },
    });
    scheduler.onFunctionCall(
      call("c1", "refund", { amount: 101, card_token: "sk-abcdefghijklmnop" }),
    );
    await host.clock.advance(0);
    expect(questions).toEqual([
      'Allow refund({"amount":101,"card_token":"[redacted]"})? (args.amount > 100)',
    ]);
    expect(ran).toHaveLength(1);
  });

  it("the terminal approver: a no rejects with its reason; no answer times out and the prompt is told to stop", async () => {
    const signals: AbortSignal[] = [];
    let answer: boolean | undefined = false;
    const prompt = {
      ask: (_q: string, request: ApprovalRequest) => {
        signals.push(request.signal);
        return answer === undefined ? new Promise<boolean>(() => {}) : Promise.resolve(answer);
      },
    };
    const { tool, ran } = refundTool({ when: "args.amount > 100", timeout: "5s" });
    const { host, scheduler } = setup({
      tools: [tool],
      approvers: [terminalApprover(prompt)],
      approval: { approver: "terminal" },
    });
    scheduler.onFunctionCall(call("no", "refund", { amount: 500 }));
    await host.clock.advance(0);
    expect(host.outputOf("no")).toEqual({
      error: {
        code: "approval_denied",
        message: "refund was not approved: declined at the terminal",
      },
    });
    answer = undefined;
    scheduler.onFunctionCall(call("silent", "refund", { amount: 500 }));
    await host.clock.advance(5000);
    expect(host.outputOf("silent")).toMatchObject({
      error: {
        code: "approval_timeout",
        message: "refund was not run: no decision from the terminal approver within 5s",
      },
    });
    expect(signals[1]?.aborted).toBe(true);
    expect(ran).toHaveLength(0);
  });

  it("denies calls whose approver is not configured, saying which, and rejects a bad condition at setup", async () => {
    const warnings: string[] = [];
    const log = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
    const { tool, ran } = refundTool({ when: "args.amount > 1", approver: "boss" });
    const { host, scheduler } = setup({
      tools: [tool],
      approvers: [codeApprover(() => true)],
      log,
    });
    expect(warnings).toEqual([
      'tool refund needs approval from "boss", which is not configured: its calls will be denied',
    ]);
    scheduler.onFunctionCall(call("c1", "refund", { amount: 5 }));
    await host.clock.advance(0);
    expect(ran).toHaveLength(0);
    expect(host.outputOf("c1")).toEqual({
      error: {
        code: "approval_denied",
        message:
          'refund was not approved: approver "boss" is not configured (configured: code, deny)',
      },
    });
    expect(
      () =>
        new ToolScheduler(new RecordingHost(), { tools: [refundTool({ when: "args.x >" }).tool] }),
    ).toThrow(/column 9/);
  });
});

describe("MCP approval requests", () => {
  const request = (id: string, name: string, args: unknown) => ({
    type: "mcp_approval_request" as const,
    id,
    server_label: "stripe",
    name,
    arguments: JSON.stringify(args),
  });
  const responses = (host: RecordingHost) =>
    host.sent.flatMap((e) =>
      e.type === "conversation.item.create" && e.item.type === "mcp_approval_response"
        ? [e.item]
        : [],
    );

  it("are decided by the agent's policy and answered with one mcp_approval_response and one answer", async () => {
    const { approver, asked } = manualApprover();
    const { host, scheduler, audit } = setup({
      tools: [],
      approvers: [approver],
      approval: {
        tools: { "stripe/list_charges": "never", "stripe/refund": { when: "args.amount > 100" } },
      },
    });
    scheduler.onMcpApprovalRequest(request("mcpr_1", "list_charges", {}));
    scheduler.onMcpApprovalRequest(request("mcpr_2", "refund", { amount: 50 }));
    scheduler.onMcpApprovalRequest(request("mcpr_3", "refund", { amount: 500 }));
    scheduler.onMcpApprovalRequest(request("mcpr_3", "refund", { amount: 500 }));
    await host.clock.advance(0);
    expect(asked.map((a) => [a.request.kind, a.request.serverLabel, a.request.tool])).toEqual([
      ["mcp", "stripe", "refund"],
    ]);
    asked[0]?.answer(false, "not today");
    await host.clock.advance(200);
    expect(responses(host).map((r) => [r.approval_request_id, r.approve, r.reason])).toEqual([
      ["mcpr_1", true, undefined],
      ["mcpr_2", true, undefined],
      ["mcpr_3", false, "not today"],
    ]);
    expect(responses(host).every((r) => typeof r.id === "string" && r.id.length <= 32)).toBe(true);
    expect((await audit()).map((l) => [l.call_id, l.server_label, l.decision, l.approver])).toEqual(
      [
        ["mcpr_2", "stripe", "approved", "policy"],
        ["mcpr_3", "stripe", "rejected", "manual"],
      ],
    );
  });

  it("default to asking the approver, and time out as a denial", async () => {
    const { approver } = manualApprover();
    const { host, scheduler } = setup({
      tools: [],
      approvers: [approver],
      approval: { timeout: "2s" },
    });
    scheduler.onMcpApprovalRequest(request("mcpr_9", "anything", {}));
    await host.clock.advance(2000);
    expect(responses(host)).toMatchObject([
      {
        approval_request_id: "mcpr_9",
        approve: false,
        reason: "no decision from the manual approver within 2s",
      },
    ]);
  });
});
