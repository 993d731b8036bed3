import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { holdLookupUntil } from "../../test/fixtures/runtime/tools.ts";
import type { CallHandler, SchedulerHost } from "../scheduler/host.ts";
import { RealtimeServerError } from "./errors.ts";
import type { Session } from "./session.ts";
import {
  fixture,
  type LocalServer,
  next,
  open,
  type Recorded,
  startServer,
} from "./test-support/harness.ts";

const quietHandler: CallHandler = {
  onFunctionCall() {},
  onMcpApprovalRequest() {},
  onUserSpeechStarted() {},
  onUserSpeechStopped() {},
  onInterrupt() {},
  close: async () => {},
};

let server: LocalServer;
const sessions: Session[] = [];
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  holdLookupUntil(undefined);
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

async function start(agent: string, options: Parameters<typeof open>[2] = {}): Promise<Recorded> {
  const r = await open(server, agent, options);
  sessions.push(r.session);
  return r;
}
describe("errors and faults", () => {
  it("turns a server error event into a RealtimeServerError with code, param and event id", async () => {
    const { session, sent } = await start("assistant.agent.yaml");
    const emitted = next(session, "error");
    const refused = session.updateAgent({
      type: "session.update",
      session: { type: "realtime", audio: { output: { speed: 9 } } },
    });
    await expect(refused).rejects.toBeInstanceOf(RealtimeServerError);
    const error = (await emitted).error as RealtimeServerError;
    const update = sent.filter((e) => e.type === "session.update").at(-1);
    expect(error).toMatchObject({
      code: "invalid_value",
      type: "invalid_request_error",
      param: "session.audio.output.speed",
    });
    expect(error.eventId).toBe(update?.event_id);
    expect(session.open).toBe(true); // an error is an event, not the end of the session
  });

  it("names the client event behind an error even when its sender gave it no id", async () => {
    let host: SchedulerHost | undefined;
    const { session } = await start("assistant.agent.yaml", {
      tools: (h) => {
        host = h;
        return quietHandler;
      },
    });
    const emitted = next(session, "error");
    host?.send({
      type: "conversation.item.truncate",
      item_id: "item_missing",
      content_index: 0,
      audio_end_ms: 10,
    });
    const error = (await emitted).error as RealtimeServerError;
    // The API's own code for this operation (one per operation), and it names no param.
    expect(error).toMatchObject({ code: "item_truncate_invalid_item_id", param: undefined });
    expect(error.message).toContain("'item_missing' does not exist");
    expect(error.eventId).toMatch(/^parley_event_\d+$/);
  });

  it("reports a refused configuration as a RealtimeServerError from startSession", async () => {
    const { loadAgent } = await import("../load/index.ts");
    const { startSession } = await import("./start-session.ts");
    const { compileSession } = await import("../compile/index.ts");
    const update = compileSession(await loadAgent(fixture("assistant.agent.yaml")));
    const bad = {
      ...update,
      session: { ...update.session, audio: { output: { speed: 9 } } },
    } as typeof update;
    await expect(startSession({ session: bad, url: server.url })).rejects.toMatchObject({
      code: "invalid_value",
      param: "session.audio.output.speed",
    });
  });

  it("reports a dropped socket with the reason and the conversation so far", async () => {
    const faulty = await startServer({ faults: {} });
    try {
      // Without reconnect a drop ends the session (with it, see reconnect/reconnect.test.ts).
      const { session, received } = await open(faulty, "assistant.agent.yaml", {
        reconnect: false,
      });
      const done = next(session, "response.done");
      session.sendText("Hello");
      await done;
      const closed = next(session, "closed");
      faulty.setFaults({ dropAfterEvents: received.length + 1 });
      session.sendText("Are you still there?");
      const c = await closed;
      expect(c.reason).toBe("socket_closed");
      expect(c.detail).toMatch(/connection closed \(code \d+/);
      expect(c.conversation.items[0]).toMatchObject({ role: "user", text: "Hello" });
      expect(session.open).toBe(false);
    } finally {
      await faulty.close();
    }
  });

  it("keeps going when a listener throws", async () => {
    const { session } = await start("assistant.agent.yaml");
    const errors: string[] = [];
    session.on("error", (e) => errors.push(e.error.code));
    session.on("agent.transcript.delta", () => {
      throw new Error("a broken UI");
    });
    const done = next(session, "response.done");
    session.sendText("Hello");
    expect((await done).status).toBe("completed");
    expect(errors).toContain("listener_failed");
  });

  it("gives a function call an error output when no tool handler is attached", async () => {
    const { session, sent, invalid } = await start("booking.agent.yaml", { tools: false });
    const answer = next(session, "agent.transcript.done", (e) => e.kind === "answer");
    session.sendText('/call lookup {"reference":"AB12"}');
    await answer;
    const output = sent.find(
      (e) => e.type === "conversation.item.create" && e.item.type === "function_call_output",
    );
    expect(JSON.stringify(output)).toContain("no tool handler");
    expect(invalid).toEqual([]);
  });

  it("runs the agent's tools through the scheduler by default, with a filler while slow", async () => {
    const { session, invalid } = await start("booking.agent.yaml");
    const filler = next(session, "agent.transcript.done", (e) => e.kind === "filler");
    const answer = next(
      session,
      "agent.transcript.done",
      (e) => e.kind === "answer" && e.transcript.includes("confirmed"),
    );
    const latency = next(session, "latency");
    // The tool runs until the filler was spoken: what the test is about, whatever the machine's load.
    holdLookupUntil(filler);
    session.sendText('/call lookup {"reference":"AB12"}');
    expect((await filler).transcript).toBe("One moment, I'm checking.");
    await answer;
    const l = await latency;
    // The filler spoke first; the substantive answer came after the tool finished.
    expect(l.firstAudioMs).not.toBeNull();
    expect(l.firstAnswerMs).toBeGreaterThan(l.firstAudioMs ?? Number.POSITIVE_INFINITY);
    expect(invalid).toEqual([]);
  });
});
