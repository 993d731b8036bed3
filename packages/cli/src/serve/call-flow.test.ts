import { codeApprover, type SessionEvents } from "@parley/core";
import { describe, expect, it } from "vitest";
import { startServe } from "../../test/helpers/serve.ts";

type ToolLog = {
  call: string[];
  output: Map<string, number>;
  states: Map<string, string>;
  fillers: string[];
  approvals: string[];
};

/** Records the tool timeline of every call serve runs. */
function toolRecorder(): { on: { [K in keyof SessionEvents]?: SessionEvents[K] }; log: ToolLog } {
  const log: ToolLog = {
    call: [],
    output: new Map(),
    states: new Map(),
    fillers: [],
    approvals: [],
  };
  return {
    log,
    on: {
      "tool.call": (e) => void log.call.push(`${e.tool}:${e.callId}`),
      "tool.output": (e) => {
        log.output.set(e.callId, (log.output.get(e.callId) ?? 0) + 1);
        log.states.set(e.tool, e.state);
      },
      "tool.filler": (e) => void log.fillers.push(e.tool),
      "approval.requested": (e) => void log.approvals.push(e.tool),
    },
  };
}

describe("a whole phone call through agent serve", () => {
  it("greets, runs a tool with a filler, asks approval, transfers by REFER; every call ends once", async () => {
    const asked: string[] = [];
    const recorder = toolRecorder();
    const t = await startServe({
      approvers: [
        codeApprover((request) => {
          asked.push(request.tool);
          return true;
        }, "phone-desk"),
      ],
      session: { on: recorder.on },
      config: { variables: { "X-Account": "account" } },
    });
    // The agent file names no approver: the first configured one decides.
    const call = await t.local.simulateIncomingCall({
      webhookUrl: t.webhookUrl,
      secret: t.secret,
      from: "+33612345678",
    });
    expect((await call.answered).type).toBe("accepted");
    expect(await call.waitForAgent()).toBe("Hello, front desk, you are calling from +33612345678.");

    await call.say("is room 12 free tonight");
    expect(await call.waitForAgent()).toBe("One moment, checking the room.");
    expect(await call.waitForAgent(/room 12/)).toMatch(/free/);

    await call.say("can I talk to front desk");
    expect(await call.ended).toBe("transferred");
    expect(call.referrals).toEqual(["tel:+14155550123"]);
    expect(asked).toEqual(["transfer_call"]);
    expect(recorder.log.approvals).toEqual(["transfer_call"]);
    expect(recorder.log.fillers).toContain("check_room");

    await t.serve.calls.idle();
    const [summary] = t.summaries;
    expect(summary).toMatchObject({ callId: call.callId, kind: "sip", agent: "desk", turns: 2 });
    expect(summary?.toolCalls.completed).toBeGreaterThanOrEqual(1);
    expect(summary?.firstAudioMs).not.toBeNull();
    // Every tool call got exactly one output, the transfer among them.
    expect(recorder.log.call).toHaveLength(2);
    for (const entry of recorder.log.call)
      expect(recorder.log.output.get(entry.split(":")[1] as string)).toBe(1);
    expect(t.logs.filter((l) => l.msg === "call summary" && l.callId === call.callId)).toHaveLength(
      1,
    );
  });

  it("ends a running tool call exactly once when the caller hangs up, and keeps the call's record", async () => {
    process.env.DESK_ROOM_MS = "60000";
    const recorder = toolRecorder();
    const t = await startServe({ session: { on: recorder.on } });
    const call = await t.local.simulateIncomingCall({ webhookUrl: t.webhookUrl, secret: t.secret });
    await call.waitForAgent();
    await call.say("is room 12 free tonight");
    await call.waitForAgent("One moment");
    call.hangUp();
    await t.serve.calls.idle();
    delete process.env.DESK_ROOM_MS;
    expect(recorder.log.call).toHaveLength(1);
    expect([...recorder.log.output.values()]).toEqual([1]);
    expect(recorder.log.states.get("check_room")).toBe("cancelled");
    expect(t.summaries[0]).toMatchObject({
      callId: call.callId,
      reason: "socket_closed",
      toolCalls: { cancelled: 1 },
    });
    // The caller's hang-up needs no hangup from us: the call is already gone.
    expect(t.logs.some((l) => l.msg === "hangup failed")).toBe(false);
  });
});
