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
  | { type: "problem"; message: string }
  /**
   * The agent's audio a (re)connecting page has not got yet, in one binary frame right after this message: the rest
   * of item `itemId` from `offsetBytes` (its bytes before that were already received, or heard), then further items
   * each with their own `audio.resume`. Sent after the replay, before anything live.
   */
  | { type: "audio.resume"; itemId: string; offsetBytes: number; bytes: number }
  /**
   * `agent serve --console`: the calls a page can pick (live ones, and recently ended ones, newest first), which one
   * this page watches, and whether it follows the newest call (it has not picked one). Sent on connecting and on
   * every change.
   */
  | { type: "calls"; calls: CallInfo[]; watching: string | null; follow: boolean };

/** One call of `agent serve`, as the call picker lists it. */
export interface CallInfo {
  /** The Realtime call id (`rtc_…`). */
  id: string;
  agent: string;
  kind: "sip" | "webrtc";
  state: "live" | "ended";
  /** Epoch ms. */
  startedAt: number;
  endedAt?: number;
  /** Why it ended (`closed`, `socket_closed`, `transferred`, …). */
  reason?: string;
}

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
  /** Push-to-talk released: commit the audio sent since it was pressed (kept for older pages; `ptt` `up` does it). */
  | { type: "commit" }
  /**
   * Hold-to-talk: `down` (pressed; the first press turns the agent's turn detection off, before the audio that
   * follows), `up` (released: commit and one answer), `off` (left hold-to-talk: the agent's turn detection is back).
   */
  | { type: "ptt"; state: "down" | "up" | "off" }
  /** Text fallback: the microphone was denied or lost (`text`), or works again (`audio`). */
  | { type: "mode"; mode: "text" | "audio"; reason?: string }
  | { type: "restart" }
  | { type: "end" }
  /** `agent serve --console`: watch this call (its stream so far, then live); null: follow the newest call. */
  | { type: "pick"; callId: string | null };

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
