// Pack tools and bridged MCP tools run through the real runtime, scheduler and local Realtime server.
import { fileURLToPath } from "node:url";
import {
  closeAllAgents,
  codeApprover,
  type LoadedAgent,
  loadAgent,
  type Session,
  type SessionEvents,
  startSession,
} from "@parley/core";
import { type LocalRealtime, startLocalRealtime } from "@parley/local-realtime";
import { validateClientEvent } from "@parley/local-realtime/conformance";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const agentFile = fileURLToPath(
  new URL("../test/fixtures/e2e/assistant.agent.yaml", import.meta.url),
);

let server: LocalRealtime;
let agent: LoadedAgent;
beforeAll(async () => {
  server = await startLocalRealtime({ port: 0, pace: 0 });
  agent = await loadAgent(agentFile);
});
afterAll(async () => {
  await closeAllAgents();
  await server.close();
});

const sessions: Session[] = [];
// Every client event of every session is checked against the official spec.
const invalid: string[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  expect(invalid.splice(0)).toEqual([]);
});

type Output = Parameters<SessionEvents["tool.output"]>[0];

async function open(approve?: (tool: string) => boolean) {
  const events: { type: string; tool?: string; message?: string }[] = [];
  const session = await startSession({
    agent,
    url: server.url,
    ...(approve ? { scheduler: { approvers: [codeApprover((r) => approve(r.tool))] } } : {}),
    on: {
      "client.event": (e) =>
        void invalid.push(...validateClientEvent(e).map((p) => `${e.type}: ${p}`)),
      "tool.progress": (e) => void events.push({ type: e.type, tool: e.tool, message: e.message }),
      "approval.requested": (e) => void events.push({ type: e.type, tool: e.tool }),
    },
  });
  sessions.push(session);
  return { session, events };
}

/** The next output of `tool`. The limit only keeps a broken test from hanging (a busy machine needs seconds). */
function nextOutput(session: Session, tool: string, ms = 30_000): Promise<Output> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output for ${tool} within ${ms}ms`)), ms);
    const listener = (e: Output) => {
      if (e.tool !== tool) return;
      clearTimeout(timer);
      session.off("tool.output", listener);
      resolve(e);
    };
    session.on("tool.output", listener);
  });
}

describe("tools through a session on the local Realtime server", () => {
  it("runs a pack tool the model picks from its examples", async () => {
    const { session } = await open();
    const output = nextOutput(session, "current_time");
    session.sendText("what time is it");
    const out = await output;
    expect(out.state).toBe("completed");
    expect(out.output).toMatch(/\+09:00/);
  });

  it("runs a bridged MCP tool and speaks its progress notifications", async () => {
    const { session, events } = await open();
    const output = nextOutput(session, "count_slowly");
    session.sendText('/call count_slowly {"n":3,"stepMs":20}');
    const out = await output;
    expect(out.state).toBe("completed");
    expect(out.output).toContain("done counting to 3");
    expect(events.filter((e) => e.type === "tool.progress").map((e) => e.message)).toContain(
      "counted 1 of 3",
    );
  });

  it("asks for approval before a destructive MCP tool runs, and runs it once approved", async () => {
    const { session, events } = await open((tool) => tool === "delete_everything");
    const output = nextOutput(session, "delete_everything");
    session.sendText("/call delete_everything {}");
    const out = await output;
    expect(events).toContainEqual({ type: "approval.requested", tool: "delete_everything" });
    expect(out.state).toBe("completed");
    expect(out.output).toContain("deleted");
  });

  it("does not run a denied MCP tool", async () => {
    const { session } = await open(() => false);
    const output = nextOutput(session, "delete_everything");
    session.sendText("/call delete_everything {}");
    const out = await output;
    expect(out.state).toBe("rejected");
    expect(out.output).not.toContain("deleted");
  });

  it("fails a call whose MCP tool throws, and the session keeps working", async () => {
    const { session } = await open();
    const failed = nextOutput(session, "explode");
    session.sendText("/call explode {}");
    const out = await failed;
    expect(out.state).toBe("failed");
    expect(out.output).toContain("the warehouse database is down");
    const next = nextOutput(session, "add");
    session.sendText('/call add {"a":40,"b":2}');
    expect((await next).output).toContain("42");
  });
});
