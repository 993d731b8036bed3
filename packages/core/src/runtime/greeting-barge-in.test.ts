import { speechAudio } from "@parley/local-realtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, next, open, startServer } from "./test-support/harness.ts";

let server: LocalServer;
beforeAll(async () => {
  // Real-time pace: the long greeting is still being produced when the caller's speech arrives.
  server = await startServer({ pace: 1 });
});
afterAll(async () => {
  await server.close();
});

describe("a caller who speaks during the greeting", () => {
  it("is answered: VAD cancels the greeting, then the server answers the caller's turn", async () => {
    const { session, sent, invalid } = await open(server, "greeting-listener.agent.yaml");
    try {
      const greeting = await next(session, "agent.audio");
      const greetingDone = next(
        session,
        "response.done",
        (e) => e.responseId === greeting.responseId,
      );
      const interrupted = next(session, "interrupted");
      const userDone = next(session, "user.transcript.done");
      const answer = next(session, "response.started", (e) => e.responseId !== greeting.responseId);
      const answered = next(session, "agent.transcript.done", (e) => e.kind !== "greeting");
      // The whole utterance in one append, as a buffered caller's audio arrives: speech starts and stops at once,
      // while the greeting's cancel is still on its way.
      session.appendAudio(speechAudio("what time is breakfast", { silenceAfterMs: 600 }));
      expect((await interrupted).source).toBe("server");
      expect((await greetingDone).status).toBe("cancelled");
      expect((await userDone).transcript).toBe("what time is breakfast");
      expect(await answer).toMatchObject({ origin: "server", kind: "answer" });
      expect((await answered).transcript.length).toBeGreaterThan(0);
      // The greeting was cut where the caller stopped hearing it.
      expect(
        sent.some((e) => e.type === "conversation.item.truncate" && e.item_id === greeting.itemId),
      ).toBe(true);
      expect(invalid).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
