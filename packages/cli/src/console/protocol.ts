// The messages between the console page and Parley, over one WebSocket. Text frames are these JSON messages; binary
// frames are audio: PCM16 little-endian, 24 kHz, mono (page → Parley: the microphone; Parley → page: the agent, each
// chunk right after the `agent.audio` event that describes it). Shared by the server (src/console) and the page
// (console/), which imports these types only. See README.md beside this file.
import type { StreamEvent } from "@parley/core";

/** What the agent panel shows. */
export interface AgentInfo {
  name: string;
  /** The agent file, relative to where `agent` was started. */
  file: string;
  model: string;
  voice: string | undefined;
  /** `approval`: when a call needs a person's yes (`always`, `when args.nights > 7`), null when never. */
  tools: { name: string; description: string; approval: string | null }[];
  /** The session variables (the agent's defaults overridden by `--var`), secret-looking values redacted. */
  variables: Record<string, string>;
}

/** One located problem of an invalid save. */
export interface ConsoleProblem {
  file: string;
  line: number;
  col: number;
  code: string;
  message: string;
  severity: "error" | "warning";
}

export type SessionState = "starting" | "open" | "ended";

/** Parley → page. */
export type ServerMessage =
  | {
      type: "hello";
      agent: AgentInfo;
      /** `local` (embedded server), `live` (OpenAI) or the `--url` host. */
      target: string;
      /** One sentence saying what the session runs against. */
      describe: string;
      /** True offline: costs are what the same tokens would cost at API prices. */
      costIsEstimate: boolean;
      session: { state: SessionState; id: string | undefined };
      /** `dev`: the page talks (mic, text, controls); `watch`: a call of `agent serve`, without the mic. */
      mode: "dev" | "watch";
      /** How many `event` messages follow as the replay of the session so far (the page is current after them). */
      replay: number;
    }
  | { type: "event"; event: StreamEvent }
  | { type: "session"; state: SessionState; id: string | undefined; detail?: string }
  | { type: "agent"; agent: AgentInfo; reload?: { ms: number; summary: string } }
  | { type: "reload.failed"; text: string; problems: ConsoleProblem[] }
  | { type: "problem"; message: string };

/** Page → Parley. */
export type ClientMessage =
  | { type: "text"; text: string }
  /** An image dropped or pasted: base64 bytes (PNG, JPEG, GIF or WebP), optional text with it. */
  | { type: "image"; data: string; text?: string }
  | { type: "approval"; callId: string; approved: boolean }
  /** The interrupt button: stop the agent; `playedMs` is what the page played of the current agent item. */
  | { type: "interrupt"; playedMs?: number }
  /** The page's playback position of an agent item (sent while it plays): barge-in truncates there. */
  | { type: "playback"; itemId: string; playedMs: number }
  /** Push-to-talk released: commit the audio sent since it was pressed. */
  | { type: "commit" }
  /** Text fallback: the microphone was denied or lost (`text`), or works again (`audio`). */
  | { type: "mode"; mode: "text" | "audio"; reason?: string }
  | { type: "restart" }
  | { type: "end" };

/** The paths under the console's token prefix (`/<token>/…`). */
export const CONSOLE_PATHS = {
  page: "",
  script: "console.js",
  worklet: "mic-worklet.js",
  style: "console.css",
  socket: "ws",
  transcript: "transcript.txt",
  events: "events.jsonl",
} as const;
