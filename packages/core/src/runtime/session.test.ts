import { speechAudio } from "@parley/local-realtime";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "./session.ts";
import {
  fixture,
  type LocalServer,
  next,
  open,
  type Recorded,
  startServer,
} from "./test-support/harness.ts";

let server: LocalServer;
const sessions: Session[] = [];
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

async function start(agent: string, options: Parameters<typeof open>[2] = {}): Promise<Recorded> {
  const r = await open(server, agent, options);
  sessions.push(r.session);
  return r;
}

describe("a text turn", () => {
  it("sends the compiled session, answers typed text, and prices the response", async () => {
    const { session, sent, invalid } = await start("assistant.agent.yaml");
    expect(sent[0]).toMatchObject({
      type: "session.update",
      session: { audio: { output: { voice: "marin" } } },
    });
    const transcript = next(session, "agent.transcript.done");
    const usage = next(session, "usage");
    const latency = next(session, "latency");
    let audioBytes = 0;
    session.on("agent.audio", ({ audio }) => {
      audioBytes += audio.length;
    });
    session.sendText("Hello there");
    expect((await transcript).transcript.length).toBeGreaterThan(0);
    const u = await usage;
    expect(u.kind).toBe("answer");
    expect(u.cost?.usd).toBeGreaterThan(0);
    expect(u.sessionCostUsd).toBeCloseTo(u.cost?.usd ?? 0);
    expect(session.costUsd).toBeCloseTo(u.cost?.usd ?? 0);
    const l = await latency;
    expect(l).toMatchObject({ turn: 1 });
    expect(l.firstAudioMs).not.toBeNull();
    expect(l.firstAnswerMs).toBe(l.firstAudioMs);
    expect(audioBytes).toBeGreaterThan(0);
    const items = session.snapshot().items;
    expect(items.map((i) => i.role)).toEqual(["user", "assistant"]);
    expect(items[0]?.text).toBe("Hello there");
    expect(items[1]?.audioMs).toBeGreaterThan(0);
    expect(invalid).toEqual([]);
  });

  it("speaks the agent's greeting, with its variables filled, before anything else", async () => {
    const spoken = new Promise<string>((resolve) => {
      void start("greeter.agent.yaml", {
        variables: { guest: "Ada" },
        on: { "agent.transcript.done": (e) => e.kind === "greeting" && resolve(e.transcript) },
      });
    });
    expect(await spoken).toBe("Welcome back, Ada!");
  });
});

describe("a text-only session", () => {
  it("streams text deltas as the agent's words and marks latency on the first text", async () => {
    const { session, invalid } = await start("texter.agent.yaml");
    const audio: unknown[] = [];
    session.on("agent.audio", (e) => audio.push(e));
    const deltas: string[] = [];
    session.on("agent.transcript.delta", (e) => deltas.push(e.delta));
    const done = next(session, "agent.transcript.done");
    const latency = next(session, "latency");
    session.sendText("Hello");
    const { transcript } = await done;
    expect(deltas.join("")).toBe(transcript);
    expect((await latency).firstAudioMs).not.toBeNull();
    expect(audio).toEqual([]);
    expect(session.settings.textOnly).toBe(true);
    expect(invalid).toEqual([]);
  });
});

describe("an audio turn", () => {
  it("streams user audio; the server's VAD ends the turn and answers; transcripts and latency follow", async () => {
    const { session, invalid } = await start("assistant.agent.yaml");
    const userDone = next(session, "user.transcript.done");
    const started = next(session, "response.started");
    const latency = next(session, "latency");
    const audio = speechAudio("what time is breakfast");
    for (let i = 0; i < audio.length; i += 4800) session.appendAudio(audio.subarray(i, i + 4800));
    expect((await userDone).transcript).toBe("what time is breakfast");
    expect(await started).toMatchObject({ origin: "server", kind: "answer" });
    const l = await latency;
    expect(l.firstAudioMs).toBeGreaterThanOrEqual(0);
    expect(invalid).toEqual([]);
  });

  it("commits push-to-talk audio and asks for the answer itself", async () => {
    const { session, invalid } = await start("push-to-talk.agent.yaml");
    const done = next(session, "response.done");
    const userDone = next(session, "user.transcript.done");
    session.appendAudio(speechAudio("is the pool open"));
    session.commitAudio();
    expect(await done).toMatchObject({ origin: "client", kind: "answer", status: "completed" });
    expect((await userDone).transcript).toBe("is the pool open");
    expect(invalid).toEqual([]);
  });
});

describe("an image turn", () => {
  it("sends an input_image item with the sniffed type and gets an answer", async () => {
    const { session, sent, invalid } = await start("assistant.agent.yaml");
    const done = next(session, "response.done");
    await session.sendImage(fixture("pixel.png"), { text: "What is in this picture?" });
    await done;
    const create = sent.find((e) => e.type === "conversation.item.create");
    expect(JSON.stringify(create)).toContain('"image_url":"data:image/png;base64,');
    expect(session.snapshot().items[0]).toMatchObject({
      role: "user",
      image: true,
      text: "What is in this picture?",
    });
    expect(invalid).toEqual([]);
  });

  it("refuses a file that is not an image before sending anything", async () => {
    const { session, sent } = await start("assistant.agent.yaml");
    const before = sent.length;
    await expect(session.sendImage(fixture("not-an-image.txt"))).rejects.toMatchObject({
      code: "image_unsupported",
    });
    expect(sent.length).toBe(before);
  });
});

describe("interruption", () => {
  let paced: LocalServer;
  beforeAll(async () => {
    // Audio in real time: the response is surely still going when the interruption comes, however busy the machine
    // (a faster pace let a loaded machine finish the answer before the barge-in speech was heard). A cut ends it.
    paced = await startServer({ pace: 1 });
  });
  afterAll(async () => {
    await paced.close();
  });

  it("cancels the response and truncates the agent's item at the position the app reports", async () => {
    const r = await open(paced, "assistant.agent.yaml");
    sessions.push(r.session);
    const { session, sent, received, invalid } = r;
    const firstAudio = next(session, "agent.audio");
    const done = next(session, "response.done");
    session.sendText(
      'Say exactly: "This is a rather long answer that the user will not want to hear to the end."',
    );
    const chunk = await firstAudio;
    session.interrupt({ playedMs: 40 }); // less than one chunk: the item surely has that much audio
    expect((await done).status).toBe("cancelled");
    expect(sent).toContainEqual(expect.objectContaining({ type: "response.cancel" }));
    expect(sent).toContainEqual(
      expect.objectContaining({
        type: "conversation.item.truncate",
        item_id: chunk.itemId,
        content_index: 0,
        audio_end_ms: 40,
      }),
    );
    await vi_waitFor(() => received.some((e) => e.type === "conversation.item.truncated"));
    expect(session.conversation.get(chunk.itemId)?.truncatedAtMs).toBe(40);
    expect(invalid).toEqual([]);
  });
  it("on barge-in, truncates at the estimated playback position and drops the cancelled response's late audio", async () => {
    const r = await open(paced, "assistant.agent.yaml");
    sessions.push(r.session);
    const { session, sent, invalid } = r;
    const firstAudio = next(session, "agent.audio");
    session.sendText(
      'Say exactly: "Here is a long story about the hotel, its gardens, its pool and its many guests."',
    );
    const chunk = await firstAudio;
    const interrupted = next(session, "interrupted");
    const cancelled = next(session, "response.done", (e) => e.responseId === chunk.responseId);
    const lateAudio: string[] = [];
    const answer = next(session, "response.started", (e) => e.origin === "server");
    const speech = speechAudio("stop please", { silenceAfterMs: 600 });
    for (let at = 0; at < speech.length; at += 4800) {
      session.appendAudio(speech.subarray(at, at + 4800)); // a microphone at the server's pace: 100 ms every 10 ms
      await new Promise((r) => setTimeout(r, 10));
    }
    const i = await interrupted;
    session.on("agent.audio", (e) => e.responseId === chunk.responseId && lateAudio.push(e.itemId));
    expect(i).toMatchObject({ source: "server", itemId: chunk.itemId });
    expect((await cancelled).status).toBe("cancelled");
    await answer; // the server answers "stop please" after the cut
    const truncate = sent.find((e) => e.type === "conversation.item.truncate");
    expect(truncate).toMatchObject({ item_id: chunk.itemId, audio_end_ms: i.playedMs });
    expect(i.playedMs).toBeLessThanOrEqual(session.conversation.get(chunk.itemId)?.audioMs ?? 0);
    expect(lateAudio).toEqual([]);
    expect(invalid).toEqual([]);
  });
});

describe("a live agent update", () => {
  it("applies new settings, and leaves out a voice change after audio with a clear warning", async () => {
    const { session, sent, invalid } = await start("assistant.agent.yaml");
    const done = next(session, "response.done");
    session.sendText("Hi");
    await done;
    const warning = next(session, "warning");
    const errors: unknown[] = [];
    session.on("error", (e) => errors.push(e.error));
    const { loadAgent } = await import("../load/index.ts");
    const changed = await loadAgent(fixture("greeter.agent.yaml")); // voice cedar, other instructions
    await session.updateAgent(changed);
    expect(await warning).toMatchObject({ code: "voice_change_refused" });
    const update = sent.filter((e) => e.type === "session.update").at(-1);
    expect(JSON.stringify(update)).not.toContain("cedar");
    expect(JSON.stringify(update)).toContain("You greet guests of a small hotel.");
    expect(session.settings.voice).toBe("marin");
    expect(errors).toEqual([]);
    expect(invalid).toEqual([]);
  });

  it("changes the voice when the agent has not spoken yet", async () => {
    const { session } = await start("assistant.agent.yaml");
    const { loadAgent } = await import("../load/index.ts");
    await session.updateAgent(await loadAgent(fixture("greeter.agent.yaml")));
    expect(session.settings.voice).toBe("cedar");
  });
});

describe("the cost budget", () => {
  it("says goodbye and closes with a clear event when the next response would exceed the budget", async () => {
    const { session, invalid } = await start("budget.agent.yaml", {
      goodbye: "Sorry, I must go. Goodbye!",
    });
    const exceeded = next(session, "budget.exceeded");
    const goodbye = next(session, "agent.transcript.done", (e) => e.kind === "goodbye");
    const closed = next(session, "closed");
    session.sendText("Tell me about the hotel");
    const e = await exceeded;
    expect(e.budgetUsd).toBe(0.000001);
    expect(e.projectedUsd).toBeGreaterThan(e.budgetUsd);
    expect((await goodbye).transcript).toBe("Sorry, I must go. Goodbye!");
    const c = await closed;
    expect(c.reason).toBe("budget");
    expect(c.detail).toContain("budget");
    expect(c.conversation.items.some((i) => i.text === "Sorry, I must go. Goodbye!")).toBe(true);
    expect(() => session.sendText("still there?")).toThrow(
      expect.objectContaining({ code: "session_closed" }),
    );
    expect(invalid).toEqual([]);
  });
});

async function vi_waitFor(test: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
