import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import type { Session } from "@parley/core";

/** The microphone and speaker link of `agent dev --audio`. */
export interface AudioLink {
  /** One line for the person: what is on, or why not. */
  message: string;
  stop(): void;
}

/** pcm16, 24 kHz, mono: the Realtime API's default audio format, as sox spells it. */
const RAW = ["-q", "-t", "raw", "-r", "24000", "-e", "signed-integer", "-b", "16", "-c", "1"];

/**
 * Streams the system microphone to the session and plays the agent through the speaker, with sox's `rec` and
 * `play`. Without sox it says how to install it and the session goes on with typing.
 *
 * @example
 * const link = await startAudio(session, false); view.notice(link.message);
 */
export async function startAudio(session: Session, simulated: boolean): Promise<AudioLink> {
  if (!has("rec") || !has("play")) {
    return {
      message:
        "--audio needs sox (`rec` and `play`): install it (brew install sox · apt install sox · choco install sox) — typing works meanwhile",
      stop() {},
    };
  }
  let player: ChildProcess | undefined;
  const play = (audio: Buffer) => {
    if (!player || player.exitCode !== null) {
      player = spawn("play", [...RAW, "-"], { stdio: ["pipe", "ignore", "ignore"] });
      // A sox that dies (or cannot start) must not crash the session: without a listener `error` throws.
      player.on("error", () => {});
      player.stdin?.on("error", () => {});
    }
    player.stdin?.write(audio);
  };
  const onAudio = (e: { audio: Buffer }) => play(e.audio);
  const onInterrupted = () => {
    // Stop what is playing at once: the rest of the interrupted answer must not be heard.
    player?.kill();
    player = undefined;
  };
  session.on("agent.audio", onAudio);
  session.on("interrupted", onInterrupted);
  const mic = spawn("rec", [...RAW, "-"], { stdio: ["ignore", "pipe", "ignore"] });
  mic.on("error", () => {});
  mic.stdout?.on("data", (chunk: Buffer) => {
    if (session.open) session.appendAudio(chunk);
  });
  return {
    message: simulated
      ? "audio on (sox): you hear the agent; the local simulated model only understands typed text, so keep typing"
      : "audio on (sox): speak, the server detects your turns; typing still works",
    stop() {
      session.off("agent.audio", onAudio);
      session.off("interrupted", onInterrupted);
      mic.kill();
      player?.kill();
    },
  };
}

function has(command: string): boolean {
  return spawnSync(command, ["--version"], { stdio: "ignore" }).status === 0;
}
