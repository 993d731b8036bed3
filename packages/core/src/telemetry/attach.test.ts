// Telemetry attached to a session runs no code per streamed frame: its observer is called a fixed number of times per
// response and per turn, however many audio and transcript deltas the responses stream (a real call on the local
// server).
import { acceptInMemory } from "@parley/local-realtime";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../clock/index.ts";
import { loadAgent } from "../load/index.ts";
import { startSession } from "../runtime/start-session.ts";
import { next } from "../runtime/test-support/harness.ts";
import { memoryTransportPair } from "../testing/index.ts";
import { attachToSession } from "./attach.ts";

const AGENT = new URL("../../test/fixtures/telemetry/desk.agent.yaml", import.meta.url).pathname;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const METHODS = [
  "handle",
  "open",
  "turnStarted",
  "firstOutput",
  "mcpCall",
  "model",
  "responseStarted",
  "usage",
  "responseDone",
  "idle",
] as const;

describe("telemetry attached to a session", () => {
  it("is called a fixed number of times per response and turn, not per streamed delta", async () => {
    const { client, server } = memoryTransportPair();
    const peer = acceptInMemory(server, { pace: 0 });
    cleanup.push(() => peer.close());
    const session = await startSession({
      agent: await loadAgent(AGENT),
      transport: client,
      timeoutMs: 15_000,
    });
    cleanup.push(() => session.close());
    const calls = new Map<string, number>();
    const handled: string[] = [];
    const observer = Object.fromEntries(
      METHODS.map((name) => [
        name,
        (e?: { type?: string }) => {
          calls.set(name, (calls.get(name) ?? 0) + 1);
          if (name === "handle" && e?.type) handled.push(e.type);
        },
      ]),
    ) as unknown as Parameters<typeof attachToSession>[2];
    const detach = attachToSession(session, systemClock, observer);
    let deltas = 0;
    let responses = 0;
    session.on("agent.audio", () => deltas++);
    session.on("agent.transcript.delta", () => deltas++);
    session.on("response.done", () => responses++);
    const turns = ["Hello", "What time is breakfast served?", "Thank you"];
    for (const text of turns) {
      const idle = next(session, "idle", () => !session.busy);
      const answered = next(session, "agent.transcript.done", (e) => e.kind === "answer");
      session.sendText(text);
      await answered;
      await idle;
    }
    detach();

    expect(responses).toBeGreaterThanOrEqual(turns.length);
    // Each response: started (with the model read), first output, usage, done.
    for (const name of ["responseStarted", "model", "firstOutput", "usage", "responseDone"])
      expect(calls.get(name), name).toBe(responses);
    expect(calls.get("turnStarted")).toBe(turns.length);
    // Besides those: the session's own events, none of them a delta (latency once per turn here).
    expect(handled.every((type) => !type.includes("delta") && type !== "agent.audio")).toBe(true);
    expect(handled.length).toBeLessThanOrEqual(2 * turns.length);
    const total = [...calls.values()].reduce((sum, n) => sum + n, 0);
    expect(total).toBeLessThanOrEqual(6 * responses + 3 * turns.length + 1);
    // The stream was a stream: many more deltas than calls.
    expect(deltas).toBeGreaterThan(2 * total);
  });
});
