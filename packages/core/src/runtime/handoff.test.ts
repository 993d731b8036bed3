import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineModel, rulesModel } from "@parley/local-realtime";
import type { RealtimeClientEvent, SessionUpdateEvent } from "openai/resources/realtime/realtime";
import { afterEach, describe, expect, it } from "vitest";
import { codeApprover } from "../approval/index.ts";
import { loadAgent } from "../load/index.ts";
import type { Session } from "./session.ts";
import { startSession } from "./start-session.ts";
import { type LocalServer, next, open, startServer } from "./test-support/harness.ts";

// The rules model, plus "/force <tool> {json}": a call the model makes whatever tools the session lists — how a
// stale or confused model would call a tool of the agent that handed off.
const rules = rulesModel();
const model = defineModel({
  name: "rules+force",
  respond(ctx) {
    const last = ctx.items.at(-1);
    const forced =
      last?.item.type === "message" && last.item.role === "user"
        ? /^\/force\s+(\w+)\s*(.*)$/.exec(last.text)
        : null;
    if (forced) return [{ call: { name: forced[1] as string, arguments: forced[2] || "{}" } }];
    return rules.respond(ctx);
  },
});

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function server(): Promise<LocalServer> {
  const s = await startServer({ model });
  cleanup.push(() => s.close());
  return s;
}

function track(session: Session): Session {
  cleanup.push(() => session.close());
  return session;
}

const answer = (session: Session) =>
  next(session, "agent.transcript.done", (e) => e.kind === "answer");

function toolNames(update: { session: unknown }): string[] {
  const tools = (update.session as { tools?: { name?: string }[] }).tools ?? [];
  return tools.map((t) => t.name ?? "");
}

describe("handoffs", () => {
  it("switches the live session to the target agent: instructions, tools, variables; voice kept; conversation kept", async () => {
    const s = await server();
    const audit = join(mkdtempSync(join(tmpdir(), "parley-handoff-")), "approvals.jsonl");
    const approved: string[] = [];
    const rec = await open(s, "handoff/front.agent.yaml", {
      scheduler: {
        approvers: [
          codeApprover((r) => {
            approved.push(r.sessionId);
            return true;
          }),
        ],
        auditLog: audit,
      },
    });
    const session = track(rec.session);
    const handoffs: unknown[] = [];
    const warnings: string[] = [];
    session.on("handoff", (e) => handoffs.push(e));
    session.on("warning", (e) => warnings.push(e.code));

    // The front desk speaks first (audio is produced, so the voice can no longer change).
    const hello = answer(session);
    session.sendText("hello");
    await hello;

    // The user asks for billing; the model calls transfer_to_billing.
    const handedOff = next(session, "handoff");
    const output = next(session, "tool.output", (e) => e.tool === "transfer_to_billing");
    session.sendText('/call transfer_to_billing {"reason":"the caller wants a refund"}');
    const event = await handedOff;
    const out = await output;
    const spoken = await answer(session);

    expect(event).toMatchObject({
      from: "front",
      to: "billing",
      reason: "the caller wants a refund",
      voiceKept: "marin",
    });
    expect(out).toMatchObject({ state: "completed", output: "transferred to billing" });
    expect(session.agent?.name).toBe("billing");
    expect(session.settings.voice).toBe("marin");
    expect(warnings).toContain("voice_change_refused");

    // On the wire: the billing session.update (no voice), then the call's one output, then the answer.
    const sent = rec.sent;
    const callId = event.callId;
    const updateAt = sent.findLastIndex((e) => e.type === "session.update");
    const outputs = sent.filter(
      (e) =>
        e.type === "conversation.item.create" &&
        e.item.type === "function_call_output" &&
        e.item.call_id === callId,
    );
    expect(outputs).toHaveLength(1);
    const outputAt = sent.indexOf(outputs[0] as RealtimeClientEvent);
    const createAt = sent.findIndex((e, i) => i > outputAt && e.type === "response.create");
    expect(updateAt).toBeGreaterThan(0);
    expect(updateAt).toBeLessThan(outputAt);
    expect(createAt).toBeGreaterThan(outputAt);
    const update = sent[updateAt] as SessionUpdateEvent;
    expect((update.session as { instructions?: string }).instructions).toContain("billing desk");
    expect(toolNames(update)).toEqual(["refund", "transfer_to_front"]);
    expect(JSON.stringify(update.session.audio ?? {})).not.toContain("voice");

    // The server's session is the billing agent's, and the answer came after it was applied.
    const updated = rec.received.filter((e) => e.type === "session.updated").at(-1);
    expect(updated && toolNames(updated)).toEqual(["refund", "transfer_to_front"]);
    expect(spoken.transcript).toContain("transferred to billing");

    // The conversation is kept: the first exchange, the call and its output are all still there.
    const items = session.snapshot().items;
    expect(items.some((i) => i.role === "user" && i.text === "hello")).toBe(true);
    expect(items.some((i) => i.type === "function_call" && i.callId === callId)).toBe(true);
    expect(
      items.some((i) => i.type === "function_call_output" && i.output === "transferred to billing"),
    ).toBe(true);

    // The old agent's tools are gone: the model no longer sees them…
    const refused = answer(session);
    session.sendText("/call check_status {}");
    expect((await refused).transcript).toBe("I don't have a tool called check_status.");
    // …and a call to one anyway gets unknown_tool (also the old agent's handoff, which is not billing's).
    for (const tool of ["check_status", "transfer_to_billing"]) {
      const stale = next(session, "tool.output", (e) => e.tool === tool);
      session.sendText(`/force ${tool} {}`);
      const result = await stale;
      expect(result.state).toBe("failed");
      expect(JSON.parse(result.output).error.code).toBe("unknown_tool");
    }
    expect(session.agent?.name).toBe("billing");

    // The billing agent's tools run, with its variables: refund_limit is 50, so 30 passes on policy and 80 is asked.
    for (const amount of [30, 80]) {
      const refunded = next(session, "tool.output", (e) => e.tool === "refund");
      session.sendText(`/call refund {"amount":${amount}}`);
      expect(await refunded).toMatchObject({ state: "completed" });
    }
    await session.close();

    // The approval was audited under the Realtime session id from session.created, not an agent name.
    const created = rec.received.find((e) => e.type === "session.created");
    const realtimeId = (created?.session as unknown as { id?: string } | undefined)?.id;
    expect(realtimeId).toMatch(/^sess_/);
    expect(session.id).toBe(realtimeId);
    expect(approved).toEqual([realtimeId]);
    const lines = readFileSync(audit, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({ session: realtimeId, tool: "refund", approver: "policy" }),
      expect.objectContaining({
        session: realtimeId,
        tool: "refund",
        decision: "approved",
        approver: "code",
      }),
    ]);
    expect(handoffs).toHaveLength(1);
    expect(rec.invalid).toEqual([]);
  });

  it("takes the new agent's voice when nothing was said yet, and can hand back", async () => {
    const s = await server();
    const rec = await open(s, "handoff/front.agent.yaml");
    const session = track(rec.session);
    const first = next(session, "handoff");
    session.sendText("/call transfer_to_billing {}");
    expect(await first).toMatchObject({ from: "front", to: "billing", reason: undefined });
    expect(await first).not.toHaveProperty("voiceKept");
    await answer(session);
    expect(session.settings.voice).toBe("cedar");

    const back = next(session, "handoff");
    session.sendText('/call transfer_to_front {"reason":"technical question"}');
    expect(await back).toMatchObject({ from: "billing", to: "front", voiceKept: "cedar" });
    await answer(session);
    const updated = rec.received.filter((e) => e.type === "session.updated").at(-1);
    expect(updated && toolNames(updated)).toEqual([
      "check_status",
      "slow_status",
      "transfer_to_billing",
    ]);
    expect(session.agent?.name).toBe("front");
  });

  it("a call of the old agent still running at the handoff finishes, with its one output", async () => {
    const s = await server();
    const rec = await open(s, "handoff/front.agent.yaml");
    const session = track(rec.session);
    const slow = next(session, "tool.output", (e) => e.tool === "slow_status");
    const handedOff = next(session, "handoff");
    const called = next(session, "tool.call", (e) => e.tool === "slow_status");
    let release = () => {};
    const gates = globalThis as { slowStatusGate?: Promise<void> };
    gates.slowStatusGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    cleanup.push(async () => {
      release();
      delete gates.slowStatusGate;
    });
    session.sendText("/call slow_status {}");
    await called;
    session.sendText("/call transfer_to_billing {}");
    await handedOff;
    release();
    const out = await slow;
    expect(out.state).toBe("completed");
    expect(JSON.parse(out.output)).toEqual({ status: "all systems normal, thoroughly" });
    // It was still running when the session switched to billing.
    const events = rec.sent.filter((e) => e.type === "conversation.item.create");
    const outputs = events.map((e) =>
      e.type === "conversation.item.create" && e.item.type === "function_call_output"
        ? e.item.output
        : undefined,
    );
    expect(outputs.indexOf("transferred to billing")).toBeLessThan(outputs.indexOf(out.output));
    expect(outputs.filter((o) => o === out.output)).toHaveLength(1);
    expect(session.agent?.name).toBe("billing");
  });

  it("a handoff that cannot load its agent ends the call with an error and keeps the current agent", async () => {
    const s = await server();
    const rec = await open(s, "handoff/front.agent.yaml", {
      loadHandoff: () => Promise.reject(new Error("billing.agent.yaml: no such file")),
    });
    const session = track(rec.session);
    const error = next(session, "error");
    const output = next(session, "tool.output");
    session.sendText("/call transfer_to_billing {}");
    expect((await error).error.code).toBe("handoff_failed");
    const out = await output;
    expect(out.state).toBe("failed");
    expect(JSON.parse(out.output).error.code).toBe("handoff_failed");
    await answer(session);
    expect(session.agent?.name).toBe("front");
    expect(rec.sent.filter((e) => e.type === "session.update")).toHaveLength(1);
  });

  it("the example support line hands a billing question to billing, whose tools then answer (agents/support)", async () => {
    const s = await server();
    // As agents/support/support.test.yaml: the helpdesk MCP server is unreachable offline.
    const env = { HELPDESK_MCP_URL: "http://127.0.0.1:9/mcp", HELPDESK_MCP_TOKEN: "test-token" };
    const file = new URL("../../../../agents/support/support.agent.md", import.meta.url).pathname;
    const session = track(
      await startSession({
        agent: await loadAgent(file, { env }),
        url: s.url,
        timeoutMs: 15_000, // a hang guard: a handshake on a busy machine can take seconds
        loadHandoff: (handoff) => loadAgent(handoff.file, { env }),
      }),
    );
    const handedOff = next(session, "handoff");
    session.sendText('/call transfer_to_billing {"reason":"a question about a charge"}');
    expect(await handedOff).toMatchObject({ from: "support", to: "billing" });
    expect(session.agent?.name).toBe("billing");
    const invoice = next(session, "tool.output", (e) => e.tool === "lookup_invoice");
    session.sendText("Why is my bill so high this month? It's invoice 2041");
    const out = await invoice;
    expect(out.state).toBe("completed");
    expect(JSON.parse(out.output)).toMatchObject({ found: true });
  });
});
