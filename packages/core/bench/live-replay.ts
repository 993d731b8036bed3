// The live half of the per-event benches (telemetry, session log): the same recorded server frames the in-memory
// replay feeds a Session, sent instead by a WebSocket server in a child process (bench/live-replay-server.ts, so its
// CPU is not this process's) over a real loopback socket to a real Session on the real ws transport. What this
// process pays per event is then what a process serving a session pays: the socket reads, ws's frame parsing and
// UTF-8 check, the event loop's turns, and the runtime.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import WebSocket from "ws";
import { cpuMs } from "../../../bench/verdict.ts";

export interface LiveSocket {
  /** The client socket, open: give it to `wsTransport({ socket })` (replaySession's `socket`). */
  socket: WebSocket;
  /**
   * One round: asks the child for every frame ("go", one small message) and returns this process's CPU (user +
   * system, all threads, ms) from the ask until the last frame has been handled and one event-loop turn has run.
   */
  round(): Promise<number>;
}

export interface LiveServer {
  /** A new client connection to the child; its frames reach the socket's listeners in order. */
  connect(): Promise<LiveSocket>;
  stop(): Promise<void>;
}

/** The wording of the `interval:` line for a live figure. */
export const LIVE_INTERVAL =
  "live: CPU (user + system, all threads) of this process from sending the child one small ask until the round's " +
  "last frame has been handled by the Session plus one event-loop turn, per frame; the frames come from a ws " +
  "server in a child process (not counted), a round's frames in one write, over a loopback WebSocket into the real " +
  "ws transport";

/** Starts the sender child with the recorded frames and waits for its URL. */
export async function liveServer(frames: Buffer[]): Promise<LiveServer> {
  const script = new URL("./live-replay-server.ts", import.meta.url).pathname;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  // Killed however this process ends (a failed bench throws; every bench ends with process.exit).
  const kill = () => child.kill();
  process.once("exit", kill);
  const sockets: WebSocket[] = [];
  try {
    child.stdin?.write(`${JSON.stringify(frames.map(String))}\n`);
    const line = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      rl.once("line", (l) => {
        rl.close();
        resolve(l);
      });
      child.once("exit", (code) => reject(new Error(`the live replay sender exited (${code})`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    return {
      async connect() {
        const socket = new WebSocket(url);
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once("open", () => resolve());
          socket.once("error", reject);
        });
        let received = 0;
        let roundDone: (() => void) | undefined;
        // Added after the transport's listener (the caller builds its Session first), so it runs once the
        // Session has handled the frame.
        const counted = () => {
          if (++received === frames.length) roundDone?.();
        };
        return {
          socket,
          async round() {
            if (!socket.listeners("message").includes(counted)) {
              if (socket.listenerCount("message") === 0)
                throw new Error("build the Session on the live socket before its first round");
              socket.on("message", counted);
            }
            received = 0;
            const t0 = cpuMs();
            const done = new Promise<void>((resolve) => {
              roundDone = resolve;
            });
            socket.send("go");
            await done;
            await new Promise((resolve) => setImmediate(resolve));
            return cpuMs() - t0;
          },
        };
      },
      async stop() {
        for (const socket of sockets) socket.terminate();
        await new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.stdin?.end();
        });
        process.off("exit", kill);
      },
    };
  } catch (error) {
    kill();
    throw error;
  }
}
