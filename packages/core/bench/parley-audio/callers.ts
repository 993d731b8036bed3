// The callers of the parley-audio-sessions bench: Parley sessions of the hotel concierge (its tools included) in
// one process, forked by the bench with IPC (`callers.ts <url>`). Like an app's server process it stays up across
// levels: it loads the agent, warms up with a few unmeasured calls, sends { ready: true }, then runs each
// `{ level: N, rampMs }` and answers with { result }. Parley runs from its built dist, as an installed package runs
// (see peers.bench.ts for why not the source through tsx).
//
// Each caller is one phone call, full duplex from start to end:
// - it calls at a random moment within the ramp (calls arrive spread out, not in one tick): startSession();
// - its microphone streams 100 ms of pcm16 every 100 ms from the handshake on (silence, then speech); a late timer
//   sends every chunk that is due, as a sound card's buffer would;
// - it hears the concierge's greeting, then (once the greeting has played) says "What time is it?" (speech the
//   server's VAD turns into a turn), the model calls the agent's current_time tool, Parley runs it and the model
//   answers; the call is over when the answer's audio is.
// Every agent audio chunk (Parley's `agent.audio` event) is timed against a real-time schedule that starts when
// the caller asked: chunk k is due at ask + the audio heard before it, so the start-up delay is in every chunk's
// lateness. The greeting's ask is the startSession() call (connect and handshake included); the answer's is the
// moment the caller sent the microphone chunk that ended its turn (the chunk holding the VAD's audio_end_ms: the
// server could not have known the turn was over before it).
import { join } from "node:path";
import { loadAgent, openSessionLog, type Session, startSession } from "@parley/core";
import { silenceAudio, speechAudio } from "@parley/local-realtime";
import { startWindow } from "../../../../bench/window.ts";

export interface CallersResult {
  sessions: number;
  /** Sessions whose handshake completed. */
  ready: number;
  /** Calls that got to the end of the answer's audio. */
  completed: number;
  /** Lateness of every agent audio chunk against its schedule (ms). */
  lateness: number[];
  /** The first chunk's lateness (the start-up delay, ms) of each greeting, and of each answer. */
  greetingStartup: number[];
  /** Of the greeting's start-up: from the startSession() call until it resolved (connect and handshake, ms). */
  handshake: number[];
  answerStartup: number[];
  /** CPU (user + system) of this process over the window, and the window's length (ms). */
  cpuMs: number;
  wallMs: number;
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  /** The first few errors (session errors, failed starts), for the bench to print. */
  errors: string[];
}

/**
 * A level: `level` calls arriving over `rampMs`. `logs` (session-log.bench.ts's served calls): each call writes a
 * session log into that folder (`""`: none), and the calls and their logs are closed inside the measured window,
 * so that both modes are charged for their close (a log's last write is there).
 */
export type CallersRequest = { level: number; rampMs: number; logs?: string };

const [url] = process.argv.slice(2) as [string];
// A call that has not ended 30 s after the ramp has fallen far behind: the level has failed, stop waiting.
const DEADLINE_MS = 30_000;
const CHUNK_MS = 100;
const SAID = "What time is it?";
const WARMUP_CALLS = 4;

const agent = await loadAgent(
  join(import.meta.dirname, "../../../../agents/hotel-concierge/concierge.agent.yaml"),
);
const silence = silenceAudio(CHUNK_MS);
const speech = chunksOf(speechAudio(SAID, { silenceBeforeMs: 0, silenceAfterMs: 0 }));

/** Splits pcm16 24 kHz audio into 100 ms Buffers (the last one padded with silence to a whole chunk). */
function chunksOf(audio: Buffer): Buffer[] {
  const size = silence.length;
  const out: Buffer[] = [];
  for (let i = 0; i < audio.length; i += size) {
    const chunk = Buffer.alloc(size);
    audio.copy(chunk, 0, i, Math.min(audio.length, i + size));
    out.push(chunk);
  }
  return out;
}

/** Runs `sessions` calls arriving over `rampMs` and measures them (telling the parent when, if `announce`). */
async function level(
  sessions: number,
  rampMs: number,
  announce = true,
  logs?: string,
): Promise<CallersResult> {
  const lateness: number[] = [];
  const greetingStartup: number[] = [];
  const handshake: number[] = [];
  const answerStartup: number[] = [];
  const errors: string[] = [];
  const open: Session[] = [];
  const closing: { close(): Promise<void> }[] = [];
  const timers: NodeJS.Timeout[] = [];
  let ready = 0;
  let completed = 0;
  let ended = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const endCall = () => {
    if (++ended === sessions) finish();
  };
  const noteError = (text: string) => {
    if (errors.length < 5) errors.push(text);
  };

  async function call(): Promise<void> {
    // The schedule: audio heard since the ask is due at ask + what was heard before it.
    let askedAt = performance.now();
    let heardMs = 0;
    // When what was heard so far ends playing: chunks play back to back, a late one when it arrives.
    let playEnd = 0;
    let phase: "greeting" | "speaking" | "answer" | "done" = "greeting";
    const sentAt: number[] = [];
    const toSay: Buffer[] = [];
    let session: Session;
    const log = logs ? openSessionLog({ dir: logs, agent }) : undefined;
    if (log) closing.push(log);
    try {
      session = await startSession({
        agent,
        url,
        apiKey: "sk-local-bench",
        ...(log ? { onEvent: log.write } : {}),
        on: {
          "agent.audio": (e) => {
            const now = performance.now();
            const late = now - (askedAt + heardMs);
            if (heardMs === 0) (phase === "answer" ? answerStartup : greetingStartup).push(late);
            lateness.push(late);
            heardMs += e.ms;
            playEnd = Math.max(playEnd, now) + e.ms;
          },
          "agent.audio.done": () => {
            if (phase === "greeting") {
              // The server sends audio faster than it plays (as the API does): the caller answers once the
              // greeting has played, not when its last chunk arrived (that would be a barge-in).
              phase = "speaking";
              const wait = Math.max(0, playEnd - performance.now());
              timers.push(setTimeout(() => toSay.push(...speech), wait));
            } else if (phase === "answer") {
              phase = "done";
              completed++;
              endCall();
            }
          },
          "user.speech.stopped": (e) => {
            // The chunk that held the turn's last audio (audio_end_ms counts from the first chunk sent).
            const chunk = Math.max(0, Math.ceil(e.audioEndMs / CHUNK_MS) - 1);
            askedAt = sentAt[chunk] ?? performance.now();
            heardMs = 0;
            phase = "answer";
          },
          error: (e) => noteError(`session error: ${e.error.message}`),
        },
      });
    } catch (error) {
      noteError(`start failed: ${(error as Error).message}`);
      endCall();
      return;
    }
    log?.attach(session);
    handshake.push(performance.now() - askedAt);
    ready++;
    open.push(session);
    const micStart = performance.now();
    timers.push(
      setInterval(() => {
        const due = Math.floor((performance.now() - micStart) / CHUNK_MS) + 1;
        while (sentAt.length < due && session.open) {
          sentAt.push(performance.now());
          session.appendAudio(toSay.shift() ?? silence);
        }
      }, CHUNK_MS),
    );
  }

  if (announce) process.send?.({ phase: "measuring" });
  const window = startWindow();
  for (let i = 0; i < sessions; i++)
    timers.push(setTimeout(() => void call(), Math.random() * rampMs));
  const deadline = setTimeout(finish, rampMs + DEADLINE_MS);
  await finished;
  const closeAll = async () => {
    for (const t of timers) clearTimeout(t);
    await Promise.all(open.map((s) => s.close().catch(() => {})));
    await Promise.all(closing.map((l) => l.close()));
  };
  if (logs !== undefined) await closeAll();
  const figures = window.stop();
  if (announce) process.send?.({ phase: "measured" });
  clearTimeout(deadline);
  if (logs === undefined) await closeAll();
  return {
    sessions,
    ready,
    completed,
    lateness,
    greetingStartup,
    handshake,
    answerStartup,
    ...figures,
    errors,
  };
}

// The bench is done with us (or died): stop.
process.on("disconnect", () => process.exit(0));
// Warm-up: the first calls of a fresh process pay for loading and compiling code (the tool modules, the runtime's
// first paths through V8); a running app server has paid that long before its hundredth call.
await level(WARMUP_CALLS, 0, false);
process.on("message", async (request: CallersRequest) => {
  const result = await level(request.level, request.rampMs, true, request.logs);
  process.send?.({ result });
});
process.send?.({ ready: true });
