// Shared by the runtime benchmarks: the server child process, recorded turns and a Session to replay them into
// (statistics: bench/stats.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { createInterface } from "node:readline";
import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import WebSocket from "ws";
import { type Clock, VirtualClock } from "../src/clock/index.ts";
import type { LoadedAgent } from "../src/load/index.ts";
import { createLogger } from "../src/log/index.ts";
import { defaultPrices } from "../src/pricing/index.ts";
import { Session } from "../src/runtime/session.ts";
import { wsTransport } from "../src/transport/ws-transport.ts";

/** The turns the per-event benches record: a greeting, a question, a goodbye. */
export const THREE_TURNS = ["Hello there", "What time is breakfast served?", "Thank you, goodbye"];

/** A socket that sends nowhere: recorded frames are fed to it with `emit("message", frame, false)`. */
export class MemorySocket extends EventEmitter {
  readyState = WebSocket.OPEN;
  send(): void {}
  close(): void {}
  terminate(): void {}
}

/** A Session over a MemorySocket, as the per-event benches replay recorded frames into it. */
export function replaySession(
  update: SessionUpdateEvent,
  options: { agent?: LoadedAgent; clock?: Clock } = {},
): { session: Session; socket: MemorySocket } {
  const socket = new MemorySocket();
  return { session: sessionOver(socket as unknown as WebSocket, update, options), socket };
}

/** The same Session over a real, open client socket (bench/live-replay.ts): the live half of those benches. */
export function liveSession(
  socket: WebSocket,
  update: SessionUpdateEvent,
  options: { agent?: LoadedAgent; clock?: Clock } = {},
): Session {
  return sessionOver(socket, update, options);
}

function sessionOver(
  socket: WebSocket,
  update: SessionUpdateEvent,
  options: { agent?: LoadedAgent; clock?: Clock },
): Session {
  return new Session({
    transport: wsTransport({ socket }),
    update,
    agent: options.agent,
    clock: options.clock ?? new VirtualClock(),
    prices: defaultPrices,
    tools: undefined,
    playedMs: undefined,
    greeting: undefined,
    goodbye: "Goodbye!",
    budgetUsd: undefined,
    maxSessionLengthMs: undefined,
    timeoutMs: 15_000,
    log: createLogger("parley:bench"),
  });
}

/**
 * Attaches what an app listens to (audio to play, transcripts to show, usage), so a replay pays for decoding them.
 * The returned total keeps the work from being optimised away.
 */
export function listenLikeAnApp(session: Session): () => number {
  let sink = 0;
  session.on("agent.audio", (e) => {
    sink += e.audio.length;
  });
  session.on("agent.transcript.delta", (e) => {
    sink += e.delta.length;
  });
  session.on("usage", (e) => {
    sink += e.sessionCostUsd;
  });
  return () => sink;
}

export interface ServerProcess {
  url: string;
  certificate: string | undefined;
  stop(): Promise<void>;
}

/** Starts bench/runtime-server.ts in a child process and waits for its URL. */
export async function serverProcess(options: { tls?: boolean } = {}): Promise<ServerProcess> {
  const script = new URL("./runtime-server.ts", import.meta.url).pathname;
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", script, ...(options.tls ? ["--tls"] : [])],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once("line", (l) => {
      rl.close();
      resolve(l);
    });
    child.once("exit", (code) => reject(new Error(`the server process exited (${code})`)));
  });
  const { url, certificate } = JSON.parse(line) as { url: string; certificate?: string };
  return {
    url,
    certificate,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin?.end();
      }),
  };
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * The raw server frames of a few typed turns, recorded from the real local server (in its own process): what the
 * replay benches feed a Session over an in-memory socket.
 */
export async function recordTurns(update: SessionUpdateEvent, turns: string[]): Promise<Buffer[]> {
  const server = await serverProcess();
  const frames: Buffer[] = [];
  // As a client connects to the API: a model and a key (the local server refuses a connection without them).
  const ws = new WebSocket(`${server.url}?model=gpt-realtime`, {
    headers: { Authorization: "Bearer bench" },
  });
  const say = (text: string) => {
    const item = { type: "message", role: "user", content: [{ type: "input_text", text }] };
    ws.send(JSON.stringify({ type: "conversation.item.create", item }));
    ws.send(JSON.stringify({ type: "response.create" }));
  };
  const finished = new Promise<void>((resolve) => {
    let done = 0;
    ws.on("message", (data: Buffer) => {
      frames.push(Buffer.from(data));
      const type = (JSON.parse(String(data)) as { type: string }).type;
      if (type === "session.updated" && done === 0) say(turns[0] as string);
      if (type !== "response.done") return;
      const nextTurn = turns[++done];
      if (nextTurn) say(nextTurn);
      else resolve();
    });
  });
  await new Promise((r) => ws.once("open", r));
  ws.send(JSON.stringify(update));
  await finished;
  ws.close();
  await server.stop();
  return frames;
}
