import { afterEach, describe, expect, it } from "vitest";
import { type LocalServer, next, open, startServer } from "../runtime/test-support/harness.ts";
import type { SchedulerEvent } from "../scheduler/events.ts";

// Delegation end to end: the real local server (Realtime over a WebSocket and POST /v1/responses) on loopback, the
// real `openai` client inside the session, the agent's real handler for the nested call.
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function server(): Promise<LocalServer> {
  const s = await startServer();
  cleanup.push(() => s.close());
  return s;
}

function timeline(rec: {
  session: { on(name: string, fn: (e: SchedulerEvent) => void): unknown };
}) {
  const events: SchedulerEvent[] = [];
  for (const name of ["tool.call", "tool.output", "delegation.step", "delegation.done"])
    rec.session.on(name, (e) => events.push(e));
  return events;
}

describe("delegate tools", () => {
  it("sync: the text model calls the invoice tool (nested under the delegation) and the voice model reads its answer", async () => {
    const s = await server();
    const rec = await open(s, "delegate/billing.agent.yaml");
    cleanup.push(() => rec.session.close());
    const events = timeline(rec as never);
    // `private: true`: the voice model is not offered the invoice tool, only the delegation.
    const update = rec.sent.find((e) => e.type === "session.update") as {
      session: { tools?: { name: string }[] };
    };
    expect(update.session.tools?.map((t) => t.name)).toEqual(["billing_expert"]);

    const done = next(rec.session, "delegation.done");
    const answer = next(rec.session, "agent.transcript.done", (e) => e.kind === "answer");
    rec.session.sendText("I want to dispute a charge on invoice 2041, I was billed twice");
    const delegation = await done;
    expect(delegation).toMatchObject({
      tool: "billing_expert",
      model: "gpt-5.4",
      mode: "sync",
      state: "answered",
      steps: 2,
    });
    expect(delegation.answer).toContain("80");
    expect((await answer).transcript).toContain("80");

    const delegateCall = events.find((e) => e.type === "tool.call" && e.tool === "billing_expert");
    const nested = events.filter((e) => e.parentCallId !== undefined);
    expect(nested.map((e) => `${e.type}:${"tool" in e ? e.tool : ""}`)).toEqual([
      "tool.call:lookup_invoice",
      "tool.output:lookup_invoice",
    ]);
    expect(nested.every((e) => e.parentCallId === delegateCall?.callId)).toBe(true);
    expect(nested[0]).toMatchObject({ arguments: { invoice_id: "INV-2041" } });
    // The text model's tokens are in the session's meters; its two requests reached the server.
    expect(s.textRequests).toBe(2);
    expect(rec.session.tokens.textOutput).toBeGreaterThan(0);
    // gpt-5.4 is in the default price table: each request is priced and joins the session's cost.
    const steps = events.filter((e) => e.type === "delegation.step") as Array<{ costUsd?: number }>;
    expect(steps).toHaveLength(2);
    expect(steps.every((e) => (e.costUsd ?? 0) > 0)).toBe(true);
    expect(rec.session.costUsd).toBeGreaterThanOrEqual(
      steps.reduce((sum, e) => sum + (e.costUsd ?? 0), 0),
    );
    expect(rec.invalid).toEqual([]);
  });

  it("async: the call answers at once, and the text model's answer comes later as its own reply", async () => {
    const s = await server();
    const rec = await open(s, "delegate/billing-async.agent.yaml");
    cleanup.push(() => rec.session.close());
    const first = next(rec.session, "tool.output", (e) => e.tool === "billing_expert");
    const later = next(rec.session, "agent.transcript.done", (e) => /80/.test(e.transcript));
    rec.session.sendText("I want to dispute a charge on invoice 2041");
    expect(JSON.parse((await first).output)).toMatchObject({ status: "delegated" });
    expect((await later).transcript).toContain("fibre £38 charged twice");
    const system = rec.sent.filter(
      (e) =>
        e.type === "conversation.item.create" &&
        e.item.type === "message" &&
        e.item.role === "system",
    );
    expect(system).toHaveLength(1);
    expect(rec.invalid).toEqual([]);
  });

  it("a delegation without a Responses client ends its call with a clear error output", async () => {
    const s = await server();
    const rec = await open(s, "delegate/billing.agent.yaml", { responses: false });
    cleanup.push(() => rec.session.close());
    const output = next(rec.session, "tool.output", (e) => e.tool === "billing_expert");
    rec.session.sendText("I want to dispute a charge on invoice 2041");
    const out = await output;
    expect(out.state).toBe("failed");
    expect(out.output).toContain("no Responses client");
  });
});
