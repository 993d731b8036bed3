import { defineModel, rulesModel } from "@parley/local-realtime";
import type {
  RealtimeClientEvent,
  ResponseCancelEvent,
  ResponseCreateEvent,
} from "openai/resources/realtime/realtime";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../clock/index.ts";
import { createLogger } from "../log/index.ts";
import { ResponseQueue } from "./response-queue.ts";
import { REQUEST_TAG } from "./response-types.ts";
import type { Session } from "./session.ts";
import { type LocalServer, next, open, startServer } from "./test-support/harness.ts";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function tracked<T extends LocalServer | Session>(thing: T): T {
  cleanup.push(() => thing.close());
  return thing;
}

const cancels = (sent: RealtimeClientEvent[]) =>
  sent.filter((e): e is ResponseCancelEvent => e.type === "response.cancel");
const creates = (sent: RealtimeClientEvent[]) => sent.filter((e) => e.type === "response.create");

/** Lets socket frames already on their way arrive (the virtual clock does not move). */
const frames = () => new Promise((r) => setTimeout(r, 30));

describe("the stalled-response watchdog", () => {
  it("cancels a response the server stopped talking about, then gives its slot back after the grace period", async () => {
    // The server stalls right after it announces the response: nothing more ever arrives, not even response.done.
    let events = 0;
    let stallNext = false;
    const server = tracked(
      await startServer({
        onServerEvent: (e) => {
          events++;
          if (stallNext && e.type === "response.created")
            server.setFaults({ stallAfterEvents: events });
        },
      }),
    );
    const clock = new VirtualClock();
    const rec = await open(server, "texter.agent.yaml", { clock });
    const session = tracked(rec.session);
    const errors: string[] = [];
    const warnings: string[] = [];
    session.on("error", (e) => errors.push(e.error.code));
    session.on("warning", (e) => warnings.push(e.code));

    stallNext = true;
    const started = next(session, "response.started");
    session.sendText("hello");
    const { responseId } = await started;
    await frames();
    expect(session.responding).toBe(true);

    // A request made meanwhile waits behind the stalled response.
    session.sendText("are you there?");
    await clock.advance(29_999);
    expect(errors).toEqual([]);
    expect(cancels(rec.sent)).toEqual([]);
    expect(creates(rec.sent)).toHaveLength(1);

    await clock.advance(1);
    expect(errors).toEqual(["response_stalled"]);
    expect(cancels(rec.sent)).toEqual([
      expect.objectContaining({ type: "response.cancel", response_id: responseId }),
    ]);
    expect(session.responding).toBe(true); // still waiting for the server to confirm

    await clock.advance(4_999);
    expect(warnings).toEqual([]);
    expect(creates(rec.sent)).toHaveLength(1);
    await clock.advance(1);
    expect(warnings).toEqual(["response_released"]);
    // The slot is free: the waiting answer goes out.
    expect(creates(rec.sent)).toHaveLength(2);
    expect(rec.invalid).toEqual([]);
  });

  it("frees the queue as soon as the server confirms the cancel, without waiting for the grace period", async () => {
    // A model that hangs (no event after response.created) but honours cancellation, as the API does.
    const rules = rulesModel();
    let hang = false;
    const model = defineModel({
      name: "hangs",
      respond: (ctx) =>
        hang
          ? new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve([])))
          : rules.respond(ctx),
    });
    const server = tracked(await startServer({ model }));
    const clock = new VirtualClock();
    const rec = await open(server, "texter.agent.yaml", {
      clock,
      watchdog: { stallMs: 10_000, graceMs: 60_000 },
    });
    const session = tracked(rec.session);
    const warnings: string[] = [];
    session.on("warning", (e) => warnings.push(e.code));
    const stalled = next(session, "error");
    hang = true;
    session.sendText("hello");
    await next(session, "response.started");
    await frames();

    const done = next(session, "response.done");
    await clock.advance(10_000);
    expect((await stalled).error.code).toBe("response_stalled");
    expect((await done).status).toBe("cancelled");
    expect(session.responding).toBe(false);

    // The next turn is answered normally; no release was needed.
    hang = false;
    const answer = next(session, "agent.transcript.done");
    session.sendText("hello again");
    expect((await answer).transcript).toBeTruthy();
    await clock.advance(60_000);
    expect(warnings).toEqual([]);
  });

  it("hears every event of a response: a long answer streamed in real time (virtual) is never cancelled", async () => {
    // Server and session share one virtual clock; the answer is ~6 s of audio sent in 100 ms chunks.
    const clock = new VirtualClock();
    const line =
      "This answer is long on purpose, so that it streams for a good few seconds of audio.";
    const model = defineModel({ name: "long", respond: () => [{ say: line }] });
    const server = tracked(await startServer({ model, pace: 1, clock }));
    const rec = await open(server, "assistant.agent.yaml", { clock, watchdog: { stallMs: 1_000 } });
    const session = tracked(rec.session);
    const errors: string[] = [];
    session.on("error", (e) => errors.push(e.error.code));
    let finished = false;
    session.on("response.done", () => {
      finished = true;
    });
    session.sendText("tell me something long");
    for (let step = 0; step < 60 && !finished; step++) {
      await clock.advance(200);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(finished).toBe(true);
    expect(errors).toEqual([]);
    expect(cancels(rec.sent)).toEqual([]);
  });

  it("times each response from its own events when responses follow one another (one timer for them all)", async () => {
    const clock = new VirtualClock();
    const stalls: string[] = [];
    const creates: ResponseCreateEvent[] = [];
    const queue = new ResponseQueue({
      send: (e) => {
        if (e.type === "response.create") creates.push(e);
      },
      clock,
      log: createLogger("test"),
      serverCreatesResponses: () => false,
      onStall: (live, phase) => stalls.push(`${live.id} ${phase} at ${clock.now()}`),
    });
    const created = (id: string) =>
      queue.responseCreated({ id, metadata: creates.at(-1)?.response?.metadata ?? {} });
    queue.request({ kind: "answer" });
    created("resp_1");
    await clock.advance(1_000);
    queue.responseDone({ id: "resp_1" });
    await clock.advance(9_000);
    queue.request({ kind: "answer" });
    created("resp_2"); // at 10 s; then silence
    await clock.advance(29_999);
    expect(stalls).toEqual([]);
    await clock.advance(1);
    expect(stalls).toEqual(["resp_2 cancelling at 40000"]);
    await clock.advance(5_000);
    expect(stalls).toEqual(["resp_2 cancelling at 40000", "resp_2 released at 45000"]);
    queue.close();
  });

  it("does not fire for a response that keeps sending events, and can be turned off", async () => {
    const clock = new VirtualClock();
    const stalls: string[] = [];
    const make = (stallMs?: number) => {
      const sent: string[] = [];
      const queue = new ResponseQueue({
        send: (e) => sent.push(e.type),
        clock,
        log: createLogger("test"),
        serverCreatesResponses: () => false,
        ...(stallMs === undefined ? {} : { stallMs }),
        onStall: (live, phase) => stalls.push(`${live.id} ${phase}`),
      });
      queue.request({ kind: "answer" });
      return { queue, sent };
    };
    const { queue, sent } = make();
    queue.responseCreated({ id: "resp_1", metadata: { [REQUEST_TAG]: "r1" } });
    for (let t = 0; t < 10; t++) {
      await clock.advance(20_000);
      queue.touch("resp_1", clock.now()); // an audio delta every 20 s: slow, but alive
    }
    expect(stalls).toEqual([]);
    await clock.advance(30_000);
    expect(stalls).toEqual(["resp_1 cancelling"]);
    expect(sent).toEqual(["response.create", "response.cancel"]);

    const off = make(0);
    off.queue.responseCreated({ id: "resp_2", metadata: { [REQUEST_TAG]: "r1" } });
    await clock.advance(600_000);
    expect(stalls).toEqual(["resp_1 cancelling", "resp_1 released"]);
  });
});
