import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ApprovalRequest } from "../approval/approver.ts";
import { defineTool } from "../tool/index.ts";
import type { ResponseRequest } from "./host.ts";
import { RecordingHost } from "./test-support/recording-host.ts";
import { ToolScheduler } from "./tool-scheduler.ts";

type Command =
  | { op: "call"; tool: number; arg: number }
  | { op: "settle"; index: number; ok: boolean }
  | { op: "decide"; index: number; approve: boolean }
  | { op: "speech"; speaking: boolean }
  | { op: "interrupt" }
  | { op: "mcp"; tool: number; arg: number }
  | { op: "serverResponse"; ms: number }
  | { op: "advance"; ms: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant("call" as const), tool: fc.nat(5), arg: fc.nat(2) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("settle" as const),
      index: fc.nat(20),
      ok: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("decide" as const),
      index: fc.nat(10),
      approve: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("speech" as const), speaking: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("interrupt" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("mcp" as const), tool: fc.nat(2), arg: fc.nat(2) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("serverResponse" as const),
      ms: fc.integer({ min: 100, max: 3000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("advance" as const),
      ms: fc.integer({ min: 0, max: 4000 }),
    }),
  },
);

const NAMES = ["plain", "cancellable", "guarded", "limited", "dedupe", "replaced"] as const;

async function play(commands: Command[]) {
  const host = new RecordingHost({ responseMs: 700 });
  const pendingRuns: {
    callId: string;
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const pendingApprovals: {
    request: ApprovalRequest;
    resolve: (d: { approved: boolean }) => void;
  }[] = [];
  const approvedCalls = new Set<string>();
  const runsOf = new Map<string, number>();
  const violations: string[] = [];

  const filler = { after: 500, every: 700, max: 3, lines: ["hold on", "still going"] };
  const base = { description: "", parameters: z.object({ n: z.number() }), filler, timeout: 5000 };
  const run = (name: string) => (args: { n: number }, ctx: { callId: string }) => {
    runsOf.set(ctx.callId, (runsOf.get(ctx.callId) ?? 0) + 1);
    // The rule asks only when n > 0: those calls must have been approved before they run.
    if (name === "guarded" && args.n > 0 && !approvedCalls.has(ctx.callId))
      violations.push(`unapproved run of ${ctx.callId}`);
    return new Promise((resolve, reject) =>
      pendingRuns.push({ callId: ctx.callId, resolve, reject }),
    );
  };
  const tools = [
    defineTool({ ...base, name: "plain", run: run("plain") }),
    defineTool({ ...base, name: "cancellable", onInterrupt: "cancel", run: run("cancellable") }),
    defineTool({
      ...base,
      name: "guarded",
      approval: { when: "args.n > 0", timeout: 4000 },
      run: run("guarded"),
    }),
    defineTool({ ...base, name: "limited", concurrency: 1, run: run("limited") }),
    defineTool({ ...base, name: "dedupe", duplicate: "reject", run: run("dedupe") }),
    defineTool({
      ...base,
      name: "replaced",
      duplicate: "replace",
      onInterrupt: "cancel",
      run: run("replaced"),
    }),
  ];
  const approver = {
    name: "manual",
    ask: (request: ApprovalRequest) =>
      new Promise<{ approved: boolean }>((resolve) =>
        pendingApprovals.push({
          request,
          resolve: (d) => {
            if (d.approved) approvedCalls.add(request.callId);
            resolve(d);
          },
        }),
      ),
  };
  // Watch every request the scheduler makes: a filler must only be asked for while nobody is talking.
  const request = host.responses.request.bind(host.responses);
  host.responses.request = (req: ResponseRequest) => {
    if (req.kind === "filler" && (host.userSpeaking || host.responses.inProgress))
      violations.push("filler requested while someone talks");
    request(req);
  };
  const scheduler = new ToolScheduler(host, {
    tools,
    approvers: [approver],
    approval: {
      tools: { "inv/safe": "never", "inv/risky": { when: "args.n > 0", timeout: 4000 } },
    },
  });
  const calls: string[] = [];
  const mcpRequests: string[] = [];

  for (const c of commands) {
    switch (c.op) {
      case "call": {
        const id = `call_${calls.length}`;
        calls.push(id);
        scheduler.onFunctionCall({
          type: "function_call",
          call_id: id,
          name: NAMES[c.tool] as string,
          arguments: JSON.stringify({ n: c.arg }),
        });
        break;
      }
      case "settle": {
        const runEntry = pendingRuns.splice(c.index % Math.max(1, pendingRuns.length), 1)[0];
        if (c.ok) runEntry?.resolve({ ok: true });
        else runEntry?.reject(new Error("boom"));
        break;
      }
      case "decide":
        pendingApprovals
          .splice(c.index % Math.max(1, pendingApprovals.length), 1)[0]
          ?.resolve({ approved: c.approve });
        break;
      case "speech":
        host.userSpeaking = c.speaking;
        if (c.speaking) scheduler.onUserSpeechStarted();
        else {
          scheduler.onUserSpeechStopped();
          host.responses.pump();
        }
        break;
      case "interrupt":
        scheduler.onInterrupt();
        break;
      case "mcp": {
        const id = `mcpr_${mcpRequests.length}`;
        mcpRequests.push(id);
        const name = ["safe", "risky", "other"][c.tool] as string;
        scheduler.onMcpApprovalRequest({
          type: "mcp_approval_request",
          id,
          server_label: "inv",
          name,
          arguments: JSON.stringify({ n: c.arg }),
        });
        break;
      }
      case "serverResponse":
        if (!host.responses.inProgress && !host.userSpeaking) host.responses.serverResponse(c.ms);
        break;
      case "advance":
        await host.clock.advance(c.ms);
        break;
    }
    await host.clock.advance(0);
  }
  host.userSpeaking = false;
  host.responses.pump();
  await host.clock.advance(60_000); // every timeout (run 5s, approval 4s) has passed: all calls ended on their own
  const openBeforeClose = scheduler.activeCalls;
  await scheduler.close();
  return { host, calls, mcpRequests, violations, openBeforeClose, runsOf };
}

describe("the scheduler under random interleavings", () => {
  it("keeps its invariants: one output per call, no unapproved run, no filler after its call, one response at a time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 60 }), async (commands) => {
        const { host, calls, mcpRequests, violations, openBeforeClose, runsOf } =
          await play(commands);
        expect(violations).toEqual([]);
        expect(openBeforeClose).toBe(0);
        // Exactly one output per call.
        const outputs = host.outputs().map((o) => o.callId);
        expect([...outputs].sort()).toEqual([...calls].sort());
        // A handler runs at most once per call.
        for (const [id, n] of runsOf) expect(n, id).toBe(1);
        // No filler starts after its call's output was sent.
        const ended = new Set<string>();
        for (const entry of host.timeline) {
          if (entry.what === "output" && entry.callId) ended.add(entry.callId);
          if (entry.what === "response" && entry.kind === "filler")
            expect(ended.has(entry.callId ?? ""), `filler after end of ${entry.callId}`).toBe(
              false,
            );
        }
        // Never two responses in progress.
        const started = host.responses.started;
        for (let i = 1; i < started.length; i++)
          expect(started[i]?.at).toBeGreaterThanOrEqual(started[i - 1]?.endAt ?? 0);
        // Exactly one mcp_approval_response per MCP approval request.
        const mcpAnswers = host.sent.flatMap((e) =>
          e.type === "conversation.item.create" && e.item.type === "mcp_approval_response"
            ? [e.item.approval_request_id]
            : [],
        );
        expect([...mcpAnswers].sort()).toEqual([...mcpRequests].sort());
        // Only the queue creates responses.
        expect(host.sent.some((e) => e.type === "response.create")).toBe(false);
      }),
      // A fixed seed: CI runs the cases a developer reproduces (another seed explores; fast-check prints the case).
      { numRuns: 150, seed: 12 },
    );
  });
});
