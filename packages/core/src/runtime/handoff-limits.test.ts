import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../clock/index.ts";
import type { Session } from "./session.ts";
import { type LocalServer, next, open, startServer } from "./test-support/harness.ts";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function handedOffSession(
  clock: VirtualClock,
): Promise<{ session: Session; greeting: string }> {
  const server: LocalServer = await startServer();
  cleanup.push(() => server.close());
  const { session, invalid } = await open(server, "handoff/reception.agent.yaml", { clock });
  cleanup.push(() => session.close());
  const greeted = next(session, "agent.transcript.done", (e) => e.kind === "greeting");
  session.sendText('/call transfer_to_concierge {"reason":"a table for two"}');
  const { transcript } = await greeted;
  expect(session.agent?.name).toBe("concierge");
  expect(invalid).toEqual([]);
  return { session, greeting: transcript };
}

describe("a handoff brings the new agent's greeting and limits", () => {
  it("the agent taken over to says its greeting as its first words", async () => {
    const { greeting } = await handedOffSession(new VirtualClock());
    expect(greeting).toBe("Concierge here, how can I help?");
  });

  it("disarms the first agent's maxSessionLength and arms the new one's, counted from the session start", async () => {
    const clock = new VirtualClock();
    const { session } = await handedOffSession(clock);
    const closed = next(session, "closed");
    await clock.advance(61_000); // past reception's 1 minute: concierge's 5 minutes apply
    expect(session.open).toBe(true);
    await clock.advance(5 * 60_000 - 61_000 - 1);
    expect(session.open).toBe(true);
    const goodbye = next(session, "agent.transcript.done", (e) => e.kind === "goodbye");
    await clock.advance(1);
    await goodbye;
    expect(await closed).toMatchObject({ reason: "max_session_length" });
  });
});
