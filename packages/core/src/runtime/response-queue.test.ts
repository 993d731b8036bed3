import type { ResponseCancelEvent, ResponseCreateEvent } from "openai/resources/realtime/realtime";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../clock/index.ts";
import { createLogger } from "../log/index.ts";
import { ResponseQueue } from "./response-queue.ts";
import { REQUEST_TAG } from "./response-types.ts";

function setup(options: { vad?: boolean } = {}) {
  const clock = new VirtualClock();
  const sent: (ResponseCreateEvent | ResponseCancelEvent)[] = [];
  const dropped: string[] = [];
  const queue = new ResponseQueue({
    send: (e) => sent.push(e),
    clock,
    log: createLogger("test"),
    serverCreatesResponses: () => options.vad ?? false,
    onDropped: (r, reason) => dropped.push(`${r.kind}: ${reason}`),
  });
  const creates = () => sent.filter((e): e is ResponseCreateEvent => e.type === "response.create");
  // The server's side: acknowledge our last create, finish a response.
  const created = (id: string, tag?: string) =>
    queue.responseCreated({ id, metadata: tag === undefined ? null : { [REQUEST_TAG]: tag } });
  const ackLast = (id: string) =>
    created(id, String(creates().at(-1)?.response?.metadata?.[REQUEST_TAG]));
  const done = (id: string) => queue.responseDone({ id, status: "completed" });
  return { clock, queue, sent, creates, dropped, created, ackLast, done };
}

describe("the response queue sends one response.create at a time", () => {
  it("holds a second request from the send of the first create until its response.done", () => {
    const t = setup();
    t.queue.request({ kind: "greeting" });
    t.queue.request({ kind: "filler", response: { instructions: 'Say exactly: "one moment"' } });
    expect(t.creates()).toHaveLength(1);
    expect(t.queue.inProgress).toBe(true); // in flight: sent, not yet created
    t.ackLast("resp_1");
    expect(t.creates()).toHaveLength(1);
    t.done("resp_1");
    expect(t.creates()).toHaveLength(2);
    expect(t.creates()[1]?.response?.instructions).toBe('Say exactly: "one moment"');
  });

  it("tags each create with an event id and a metadata tag the server echoes back", () => {
    const t = setup();
    t.queue.request({ kind: "answer" });
    const create = t.creates()[0];
    expect(create?.event_id).toMatch(/^parley_response_\d+$/);
    expect(create?.response?.metadata).toMatchObject({ parley_kind: "answer" });
    const live = t.ackLast("resp_1");
    expect(live).toMatchObject({ id: "resp_1", kind: "answer", origin: "client" });
  });

  it("coalesces queued answers into one response", () => {
    const t = setup();
    t.queue.request({ kind: "greeting" });
    t.queue.request({ kind: "answer" });
    t.queue.request({ kind: "answer" });
    t.queue.request({ kind: "answer", response: { metadata: { call: "b" } } });
    t.ackLast("resp_1");
    t.done("resp_1");
    t.ackLast("resp_2");
    t.done("resp_2");
    expect(t.creates().map((c) => c.response?.metadata?.parley_kind)).toEqual([
      "greeting",
      "answer",
    ]);
    expect(t.queue.queued).toBe(0);
  });

  it("asks a filler whether it is still wanted when its turn comes, and drops it if not", () => {
    const t = setup();
    let wanted = true;
    t.queue.request({ kind: "answer" });
    t.queue.request({ kind: "filler", stillWanted: () => wanted });
    wanted = false; // the call ended while the answer was being said
    t.ackLast("resp_1");
    t.done("resp_1");
    expect(t.creates()).toHaveLength(1);
    expect(t.dropped).toEqual(["filler: no longer wanted"]);
  });

  it("never dispatches while the user speaks, and counts the response the server starts on VAD", async () => {
    const t = setup({ vad: true });
    t.queue.userSpeechStarted();
    t.queue.request({ kind: "filler", response: { conversation: "none" } });
    t.queue.request({ kind: "answer" });
    expect(t.creates()).toHaveLength(0);
    t.queue.userSpeechStopped();
    expect(t.creates()).toHaveLength(0); // the server is about to create its own response
    const live = t.created("resp_vad"); // no tag: the server's
    expect(live.origin).toBe("server");
    expect(t.queue.inProgress).toBe(true);
    t.done("resp_vad");
    // The plain answer was absorbed by the server's response (it saw the whole conversation); the filler remains.
    expect(t.creates().map((c) => c.response?.metadata?.parley_kind)).toEqual(["filler"]);
  });

  it("stops holding after speech_stopped when the server starts no response", async () => {
    const t = setup({ vad: true });
    t.queue.userSpeechStarted();
    t.queue.request({ kind: "answer", response: { instructions: "x" } });
    t.queue.userSpeechStopped();
    expect(t.creates()).toHaveLength(0);
    await t.clock.advance(1_500);
    expect(t.creates()).toHaveLength(1);
  });

  it("re-queues a create the server rejected as a collision, and drops one rejected for another reason", () => {
    const t = setup();
    t.queue.request({ kind: "greeting" });
    const first = t.creates()[0]?.event_id ?? "";
    t.created("resp_srv", "someone-else");
    expect(
      t.queue.serverError({
        type: "invalid_request_error",
        message: "busy",
        code: "conversation_already_has_active_response",
        event_id: first,
      }),
    ).toBe(true);
    t.done("resp_srv");
    expect(t.creates()).toHaveLength(2);
    const second = t.creates()[1]?.event_id ?? "";
    t.queue.serverError({
      type: "invalid_request_error",
      message: "bad",
      code: "invalid_value",
      event_id: second,
    });
    expect(t.dropped).toEqual(["greeting: rejected by the server: invalid_value"]);
    expect(t.queue.inProgress).toBe(false);
  });

  it("gives the slot back when response.created never comes", async () => {
    const t = setup();
    t.queue.request({ kind: "answer", response: { instructions: "a" } });
    t.queue.request({ kind: "answer", response: { instructions: "b" } });
    await t.clock.advance(15_000);
    expect(t.dropped).toEqual(["answer: no response.created in time"]);
  });

  it("gives each create its own full wait for response.created, one after another (one timer for them all)", async () => {
    const t = setup();
    t.queue.request({ kind: "answer" });
    t.ackLast("resp_1");
    await t.clock.advance(5_000);
    t.done("resp_1");
    t.queue.request({ kind: "greeting" }); // sent at 5 s: never acknowledged
    expect(t.creates()).toHaveLength(2);
    await t.clock.advance(14_999);
    expect(t.dropped).toEqual([]);
    expect(t.queue.inProgress).toBe(true);
    await t.clock.advance(1);
    expect(t.dropped).toEqual(["greeting: no response.created in time"]);
    expect(t.queue.inProgress).toBe(false);
  });

  it("cancels the live response, and one still in flight as soon as it is created", () => {
    const t = setup();
    t.queue.request({ kind: "answer" });
    t.queue.cancel();
    expect(t.sent.filter((e) => e.type === "response.cancel")).toHaveLength(0);
    t.ackLast("resp_1");
    expect(t.sent.at(-1)).toMatchObject({ type: "response.cancel", response_id: "resp_1" });
    t.queue.cancel(); // already cancelled: not twice
    expect(t.sent.filter((e) => e.type === "response.cancel")).toHaveLength(1);
  });

  it("ends with a goodbye: queued requests are dropped, later ones refused", () => {
    const t = setup();
    t.queue.request({ kind: "answer", response: { instructions: "a" } });
    t.queue.request({ kind: "filler" });
    t.queue.endWith({ kind: "goodbye" });
    t.queue.request({ kind: "answer", response: { instructions: "late" } });
    t.ackLast("resp_1");
    t.done("resp_1");
    expect(t.creates().map((c) => c.response?.metadata?.parley_kind)).toEqual([
      "answer",
      "goodbye",
    ]);
    expect(t.dropped).toEqual(["filler: session ending", "answer: session ending"]);
  });
});

describe("after the queue is closed, and waits for a response's end", () => {
  it("a response created while the socket closes arms no watchdog (nothing is cancelled, the session is not held)", async () => {
    const t = setup();
    t.queue.request({ kind: "greeting" });
    t.queue.close();
    t.created("resp_late"); // the greeting's response.created, arriving after close
    await t.clock.advance(60_000);
    expect(t.sent.filter((e) => e.type === "response.cancel")).toEqual([]);
  });

  it("afterResponse runs once the live response is done, and refuses when none is live", () => {
    const t = setup();
    const ran: string[] = [];
    expect(t.queue.afterResponse(() => ran.push("none"))).toBe(false);
    t.created("resp_1");
    expect(t.queue.afterResponse(() => ran.push("a"))).toBe(true);
    expect(t.queue.afterResponse(() => ran.push("b"))).toBe(true);
    expect(ran).toEqual([]);
    t.done("resp_1");
    expect(ran).toEqual(["a", "b"]);
    t.created("resp_2");
    t.done("resp_2");
    expect(ran).toEqual(["a", "b"]);
  });

  it("a response cut off by a dropped connection is over: its waits run at the drop, their requests wait for resume", () => {
    const t = setup();
    t.queue.request({ kind: "answer" });
    t.ackLast("resp_1");
    t.queue.afterResponse(() => t.queue.request({ kind: "answer" }));
    expect(t.queue.suspend()).toBe(true);
    // The answer the wait asked for is queued, not sent: the connection is gone.
    expect(t.queue.queued).toBe(1);
    expect(t.creates()).toHaveLength(1);
    t.queue.resume();
    expect(t.creates()).toHaveLength(2);
    // The dead response's late done (if a stale event came) runs nothing twice.
    t.done("resp_1");
    expect(t.queue.queued).toBe(0);
  });
});
