// Property: wherever the connection drops in a conversation (a random server event), the session restores and
// nothing recorded is lost, no tool output is delivered twice, and there are never two responses at once.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "../session.ts";
import { type LocalServer, next, open, startServer } from "../test-support/harness.ts";

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
  // The tool handlers of reconnect.agent.yaml wait on this gate: open for good here (calls end at once).
  const g = globalThis as { parleyGate?: { release(): void } };
  g.parleyGate = undefined;
  const { gate } = await import("../../../test/fixtures/runtime/reconnect-tools.ts");
  gate().release();
});
afterAll(() => server.close());

/** Until the turn is over and no restore is running (protocol events only). */
async function settle(session: Session): Promise<void> {
  while (session.busy || session.restoring) {
    await Promise.race([next(session, "idle"), next(session, "restored"), next(session, "closed")]);
  }
}

const TURNS = ["hello there", '/call lookup {"reference":"R1"}', "thanks, and tomorrow?", "bye"];

describe("a drop at any point of a conversation", () => {
  it("restores without losing what was recorded, without a second output, never two responses", async () => {
    let restoredRuns = 0;
    await fc.assert(
      // From the 1st event: a drop during the handshake is retried by startSession (`reconnecting`, no `restored`).
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), async (dropAt) => {
        server.setFaults({ dropAfterEvents: dropAt });
        const rec = await open(server, "reconnect.agent.yaml", {
          reconnect: { baseDelayMs: 5, random: () => 1 },
          // One drop per run (given here: a drop during the handshake is retried inside startSession).
          on: { reconnecting: () => server.setFaults({}) },
        });
        const { session } = rec;
        let restores = 0;
        session.on("restored", () => restores++);
        const outputs = new Map<string, number>();
        session.on("tool.output", (e) => outputs.set(e.callId, (outputs.get(e.callId) ?? 0) + 1));
        try {
          for (const text of TURNS) {
            await settle(session);
            session.sendText(text);
            await settle(session);
          }
          expect(session.open).toBe(true);
          // Nothing recorded is lost, nothing doubled by the replay: each user turn once, in order.
          const users = session
            .snapshot()
            .items.filter((i) => i.role === "user")
            .map((i) => i.text);
          expect(users).toEqual(TURNS);
          // No output twice: one per call, and one delivery each that a server took (an output or, across the drop,
          // text). What was sent into a connection already dead is sent again, so it is counted where it arrived.
          for (const count of outputs.values()) expect(count).toBe(1);
          const delivered = rec.received.filter(
            (e) =>
              e.type === "conversation.item.added" &&
              (e.item.type === "function_call_output" ||
                (e.item.type === "message" &&
                  e.item.content.some((c) => "text" in c && c.text?.startsWith("[tool result]")))),
          ).length;
          expect(delivered).toBe(outputs.size);
          // Never two responses at once, on any connection.
          let live = 0;
          for (const e of rec.received) {
            if (e.type === "session.created") live = 0;
            if (e.type === "response.created") live++;
            if (e.type === "response.done") live--;
            expect(live).toBeLessThanOrEqual(1);
            if (e.type === "error")
              expect(e.error.code).not.toBe("conversation_already_has_active_response");
          }
          expect(restores).toBeLessThanOrEqual(1);
          restoredRuns += restores;
        } finally {
          server.setFaults({});
          await session.close();
        }
      }),
      // A fixed seed: the drop points are the same on every run (and the coverage check below is not left to chance).
      { numRuns: 12, seed: 12 },
    );
    // The drop points fall inside the conversation: most runs really went through a restore.
    expect(restoredRuns).toBeGreaterThanOrEqual(8);
  }, 240_000);
});
