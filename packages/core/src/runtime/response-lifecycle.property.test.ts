// The response invariant, checked against the real local server over a real socket: whatever the mix of user text,
// user audio (server VAD answers by itself), tool calls (scheduler fillers and answers), extra fillers and answers
// requested through the host, interruptions and raw cancels, the server never reports
// `conversation_already_has_active_response` and never has two responses in progress.
import { speechAudio } from "@parley/local-realtime";
import fc from "fast-check";
import type { RealtimeServerEvent } from "openai/resources/realtime/realtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedAgent, loadAgent } from "../load/index.ts";
import { sayExactly } from "../scheduler/fillers.ts";
import type { SchedulerHost } from "../scheduler/host.ts";
import { ToolScheduler } from "../scheduler/tool-scheduler.ts";
import type { Session } from "./session.ts";
import { fixture, type LocalServer, open, startServer } from "./test-support/harness.ts";

type Op =
  | { op: "text"; words: number }
  | { op: "audio"; words: number }
  | { op: "tool" }
  | { op: "filler"; wantedFor: number }
  | { op: "answer" }
  | { op: "interrupt" }
  | { op: "cancel" }
  | { op: "wait"; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("text" as const), words: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ op: fc.constant("audio" as const), words: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant("tool" as const) }),
  fc.record({ op: fc.constant("filler" as const), wantedFor: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ op: fc.constant("answer" as const) }),
  fc.record({ op: fc.constant("interrupt" as const) }),
  fc.record({ op: fc.constant("cancel" as const) }),
  fc.record({ op: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 40 }) }),
);

const WORDS = ["rooms", "breakfast", "parking", "late", "checkout", "pool", "view", "quiet"];
const sentence = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => WORDS[(seed + i) % WORDS.length]).join(" ");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const PACE = 0.02; // audio at 50x real time: responses overlap the next actions, runs stay short

/** Streams pcm16 24 kHz audio as a microphone would: 100 ms chunks, each after 100 ms of (paced) time. */
async function stream(session: Session, audio: Buffer): Promise<void> {
  const chunk = 4_800; // 100 ms
  for (let i = 0; i < audio.length; i += chunk) {
    if (!session.open) return;
    session.appendAudio(audio.subarray(i, i + chunk));
    await sleep(100 * PACE);
  }
}

let server: LocalServer;
let booking: LoadedAgent;
beforeAll(async () => {
  booking = await loadAgent(fixture("booking.agent.yaml"));
  server = await startServer({ pace: PACE });
});
afterAll(async () => {
  await server.close();
});

describe("the response lifecycle under random interleavings", () => {
  it("never provokes conversation_already_has_active_response, never two responses at once", async () => {
    const coverage = { toolOutputs: 0, fillers: 0, serverResponses: 0, interruptions: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 3, maxLength: 14 }), async (ops) => {
        let host: SchedulerHost | undefined;
        process.env.PARLEY_TEST_TOOL_MS = "40";
        const r = await open(server, "booking.agent.yaml", {
          tools: (h) => {
            host = h;
            // The agent's slow tool (40 ms), with a filler after 10 ms: fillers and answers race user turns.
            return new ToolScheduler(h, {
              tools: booking.tools,
              filler: { after: 10, lines: ["Hold on."] },
            });
          },
        });
        const { session, received, invalid } = r;
        // The server's view: responses created and not yet done; and our creates not yet acknowledged.
        const liveIds = new Set<string>();
        const pendingTags = new Set<string>();
        const violations: string[] = [];
        const trail: string[] = [];
        session.on("client.event", (e) => {
          if (e.type !== "response.create") return;
          trail.push(`> response.create ${e.response?.metadata?.parley_kind}`);
          // The runtime's own invariant: it creates only when it has seen no response in progress.
          if (liveIds.size || pendingTags.size)
            violations.push(`create while ${[...liveIds, ...pendingTags].join(", ")} in progress`);
          pendingTags.add(String(e.response?.metadata?.parley_request));
        });
        const watch = (e: RealtimeServerEvent) => {
          if (e.type === "response.created") {
            const tag = e.response.metadata?.parley_request;
            trail.push(`< response.created ${e.response.id} ${tag ?? "(server VAD)"}`);
            // Ours overlapping another: we caused two at once. (The server's own VAD response overlapping one of
            // ours is the server's decision, not a client's create; the local server starts one beside a filler.)
            if (tag !== undefined && liveIds.size)
              violations.push(`our ${tag} created beside ${[...liveIds].join(", ")}`);
            if (tag !== undefined) pendingTags.delete(String(tag));
            liveIds.add(e.response.id ?? "");
          }
          if (e.type === "response.done") {
            trail.push(`< response.done ${e.response.id} ${e.response.status}`);
            liveIds.delete(e.response.id ?? "");
          }
          if (e.type === "error") {
            trail.push(`< error ${e.error.code} ${e.error.event_id}`);
            if (e.error.event_id?.startsWith("parley_response_")) pendingTags.clear();
          }
          if (e.type.startsWith("input_audio_buffer.speech")) trail.push(`< ${e.type}`);
        };
        session.on("server.event", watch);
        session.on("tool.output", () => coverage.toolOutputs++);
        session.on("response.started", (e) => {
          if (e.kind === "filler") coverage.fillers++;
          if (e.origin === "server") coverage.serverResponses++;
        });
        session.on("interrupted", () => coverage.interruptions++);
        let runtimeOverlap = false;
        session.on("response.started", () => {
          if (!session.responding) runtimeOverlap = true; // started must be counted as in progress
        });
        try {
          let seed = 0;
          const streams: Promise<void>[] = [];
          for (const op of ops) {
            seed++;
            switch (op.op) {
              case "text":
                session.sendText(sentence(op.words, seed));
                break;
              case "audio":
                // A microphone: 100 ms chunks at the server's pace, running alongside the next actions.
                streams.push(
                  stream(session, speechAudio(sentence(op.words, seed), { silenceAfterMs: 600 })),
                );
                break;
              case "tool":
                session.sendText(`/call lookup {"reference":"R${seed}"}`);
                break;
              case "filler": {
                const until = Date.now() + op.wantedFor;
                host?.responses.request({
                  kind: "filler",
                  response: { conversation: "none", instructions: sayExactly("Just a moment.") },
                  stillWanted: () => Date.now() < until && !host?.userSpeaking,
                });
                break;
              }
              case "answer":
                host?.responses.request({ kind: "answer" });
                break;
              case "interrupt":
                session.interrupt();
                break;
              case "cancel":
                host?.send({ type: "response.cancel" });
                break;
              case "wait":
                await sleep(op.ms);
                break;
            }
          }
          await Promise.all(streams);
          // Let everything queued play out: quiet (nothing in progress, nobody speaking) for 150 ms running.
          const end = Date.now() + 5_000;
          let quietSince = Date.now();
          while (Date.now() < end && Date.now() - quietSince < 150) {
            await sleep(10);
            if (session.responding || liveIds.size > 0 || host?.userSpeaking)
              quietSince = Date.now();
          }
          const collisions = received.filter(
            (e) =>
              e.type === "error" && e.error.code === "conversation_already_has_active_response",
          );
          expect(collisions).toEqual([]);
          expect(violations, trail.join("\n")).toEqual([]);
          expect(runtimeOverlap).toBe(false);
          expect(session.responding).toBe(false);
          expect(invalid).toEqual([]);
        } finally {
          await session.close();
        }
      }),
      // A fixed seed: the same op sequences on every run, so the coverage checks below are not left to chance.
      {
        numRuns: Number(process.env.PARLEY_PROPERTY_RUNS ?? 25),
        seed: 12,
        interruptAfterTimeLimit: 60_000,
      },
    );
    // The runs did exercise what they claim to: tool results, fillers, VAD responses, barge-ins.
    expect(coverage.toolOutputs).toBeGreaterThan(0);
    expect(coverage.fillers).toBeGreaterThan(0);
    expect(coverage.serverResponses).toBeGreaterThan(0);
    expect(coverage.interruptions).toBeGreaterThan(0);
  }, 90_000);
});
