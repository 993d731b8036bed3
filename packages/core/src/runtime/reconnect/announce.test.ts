// The agent file's `reconnect:` block: the resume line (a template) said after a drop, the attempts per restore, and
// `startSession({ reconnect })` winning over the file.
import type { ResponseCreateEvent } from "openai/resources/realtime/realtime";
import { afterEach, describe, expect, it } from "vitest";
import { type LocalServer, next, open, startServer } from "../test-support/harness.ts";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

/** A server that drops the connection right after it announces the response to the armed turn. */
async function dropOnNextResponse(): Promise<{ server: LocalServer; arm(): void }> {
  let events = 0;
  let armed = false;
  const server = await startServer({
    onServerEvent: (e) => {
      events++;
      if (armed && e.type === "response.created") {
        armed = false;
        server.setFaults({ dropAfterEvents: events });
      }
    },
  });
  cleanup.push(() => server.close());
  return {
    server,
    arm: () => {
      armed = true; // `events` counts the first connection's events: the one the fault applies to
    },
  };
}

const resumeLines = (sent: { type: string }[]) =>
  sent
    .filter((e): e is ResponseCreateEvent => e.type === "response.create")
    .map((e) => e.response?.instructions ?? "")
    .filter((i) => i.includes("Say briefly"));

describe("reconnect: in the agent file", () => {
  it("says the agent's resume line, with its variables, once the session is restored", async () => {
    const { server, arm } = await dropOnNextResponse();
    const rec = await open(server, "reconnect-announce.agent.yaml", {
      variables: { guest_name: "Ada" },
      reconnect: { baseDelayMs: 5, random: () => 1 },
      on: { reconnecting: () => server.setFaults({}) },
    });
    cleanup.push(() => rec.session.close());
    arm();
    rec.session.sendText("hello there");
    await next(rec.session, "restored");
    while (rec.session.busy) await next(rec.session, "idle");
    expect(resumeLines(rec.sent)).toEqual([
      expect.stringContaining('Say briefly: "Sorry Ada, we got cut off for a moment."'),
    ]);
    // The resume line is the one answer after the restore: never two responses at once.
    expect(rec.received.filter((e) => e.type === "error")).toEqual([]);
  });

  it("startSession({ reconnect: { announce } }) wins over the file", async () => {
    const { server, arm } = await dropOnNextResponse();
    const rec = await open(server, "reconnect-announce.agent.yaml", {
      variables: { guest_name: "Ada" },
      reconnect: { baseDelayMs: 5, random: () => 1, announce: "One moment, I'm back." },
      on: { reconnecting: () => server.setFaults({}) },
    });
    cleanup.push(() => rec.session.close());
    arm();
    rec.session.sendText("hello there");
    await next(rec.session, "restored");
    while (rec.session.busy) await next(rec.session, "idle");
    expect(resumeLines(rec.sent)).toEqual([
      expect.stringContaining('Say briefly: "One moment, I\'m back."'),
    ]);
  });

  it("reconnect.maxAttempts from the file bounds a restore", async () => {
    const { server, arm } = await dropOnNextResponse();
    const rec = await open(server, "reconnect-announce.agent.yaml", {
      variables: { guest_name: "Ada" },
      reconnect: { baseDelayMs: 5, random: () => 1 },
      on: { reconnecting: () => server.setFaults({ refuseConnections: 10 }) },
    });
    cleanup.push(() => rec.session.close());
    const attempts: number[] = [];
    rec.session.on("reconnecting", (e) => attempts.push(e.attempt));
    const failed = next(rec.session, "restore_failed");
    arm();
    rec.session.sendText("hello there");
    expect(await failed).toMatchObject({ reason: "network", attempts: 2 });
    expect(attempts).toEqual([1, 2]);
  });
});
