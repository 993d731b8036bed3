import { useEffect, useLayoutEffect, useReducer, useRef, useState } from "preact/hooks";
import type { ClientMessage, ServerMessage } from "../src/console/protocol.ts";
import { resumeAudio } from "./audio/context.ts";
import { showMicLevel } from "./audio/level.ts";
import { Mic } from "./audio/mic.ts";
import { Player } from "./audio/player.ts";
import { CallPicker } from "./components/call-picker.tsx";
import { Composer } from "./components/composer.tsx";
import { AgentPanel, ErrorPanel, MetersPanel } from "./components/side-panels.tsx";
import { ToolTimeline } from "./components/tool-timeline.tsx";
import { Transcript } from "./components/transcript.tsx";
import { VoiceControls } from "./components/voice-controls.tsx";
import { Connection, type EarlySocket } from "./connection.ts";
import { initialState, reduce } from "./state.ts";

/** How often the page tells Parley how much of the agent's current item it has played. */
const PLAYBACK_REPORT_MS = 100;

/** `early`: the socket main.tsx opened before this first render (the first connection uses it). */
export function App({ early }: { early?: EarlySocket } = {}) {
  const [state, dispatch] = useReducer(reduce, initialState);
  const [micMode, setMicMode] = useState<"off" | "open" | "ptt">("off");
  const [talking, setTalking] = useState(false);
  const [muted, setMuted] = useState(false);
  const conn = useRef<Connection | undefined>(undefined);
  const player = useRef(new Player());
  /** The agent item the next binary frame belongs to (its `agent.audio` event comes just before it). */
  const audioItem = useRef<string | undefined>(undefined);
  const sending = useRef(false);
  /** A hello and the replay still arriving after it: dispatched together once the last replayed event is in. */
  const replay = useRef<{ left: number; messages: ServerMessage[] } | undefined>(undefined);
  const mutedRef = useRef(false);
  /** The session went to text because the microphone failed or was lost: a working mic switches it back. */
  const micFailed = useRef(false);
  const mic = useRef(
    new Mic(
      (pcm) => {
        showMicLevel(pcm);
        if (sending.current && !mutedRef.current) conn.current?.sendAudio(pcm);
      },
      () => {
        sending.current = false;
        setMicMode("off");
        setTalking(false);
        micFailed.current = true;
        dispatch({ type: "local-error", message: "microphone: lost" });
        // Out of hold-to-talk too: the agent's turn detection comes back (a no-op when it was not held).
        conn.current?.send({ type: "ptt", state: "off" });
        conn.current?.send({ type: "mode", mode: "text", reason: "microphone_lost" });
      },
    ),
  );

  const send = (message: ClientMessage) => {
    if (!conn.current?.send(message))
      dispatch({ type: "local-error", message: "not connected to Parley" });
  };
  const interrupt = () => {
    const heard = player.current.stop();
    send({ type: "interrupt", ...(heard ? { playedMs: heard.playedMs } : {}) });
  };
  const startMic = async () => {
    try {
      await mic.current.start();
      if (micFailed.current) {
        micFailed.current = false;
        send({ type: "mode", mode: "audio", reason: "microphone_restored" });
      }
      return true;
    } catch (error) {
      micFailed.current = true;
      dispatch({ type: "local-error", message: `microphone: ${(error as Error).message}` });
      // No microphone: the session carries on in text (the agent answers in text; the text box stays).
      send({ type: "mode", mode: "text", reason: "microphone_denied" });
      return false;
    }
  };

  useEffect(() => {
    const c = new Connection(
      {
        message(m) {
          if (m.type === "hello") performance.mark("parley:hello");
          if (m.type === "event" && m.event.type === "agent.audio")
            audioItem.current = m.event.itemId;
          // After a dropped connection: the rest of the agent's audio comes next, from where this page was.
          if (m.type === "audio.resume") {
            audioItem.current = m.itemId;
            player.current.resume(m.itemId, m.offsetBytes);
          }
          if (m.type === "event" && m.event.type === "interrupted") player.current.stop();
          if (m.type === "session" && m.state !== "open") player.current.stop();
          if (m.type === "hello" && m.replay > 0) {
            replay.current = { left: m.replay, messages: [m] };
            return;
          }
          const pending = replay.current;
          if (pending) {
            // (the hub sends a replay in one go: nothing else comes in between; kept in order if it did)
            pending.messages.push(m);
            if (m.type === "event") pending.left--;
            if (pending.left > 0) return;
            replay.current = undefined;
            return dispatch({ type: "server-batch", messages: pending.messages });
          }
          dispatch({ type: "server", message: m });
        },
        audio(pcm) {
          if (audioItem.current) player.current.play(audioItem.current, pcm);
        },
        connected(on) {
          dispatch({ type: "connected", connected: on });
        },
        resume: () => player.current.received,
      },
      early,
    );
    conn.current = c;
    const report = setInterval(() => {
      if (!player.current.playing) return;
      const at = player.current.position();
      if (at) c.send({ type: "playback", ...at });
    }, PLAYBACK_REPORT_MS);
    const onKey = (e: KeyboardEvent) => {
      resumeAudio();
      if (e.key === "Escape") {
        const heard = player.current.stop();
        c.send({ type: "interrupt", ...(heard ? { playedMs: heard.playedMs } : {}) });
      }
    };
    window.addEventListener("pointerdown", resumeAudio);
    window.addEventListener("keydown", onKey);
    return () => {
      clearInterval(report);
      window.removeEventListener("pointerdown", resumeAudio);
      window.removeEventListener("keydown", onKey);
      c.close();
      mic.current.stop();
    };
  }, []);

  // The page's load timeline (read by `pnpm bench console`): first drawn with the session as it is (the hello and
  // its replay applied).
  const ready = state.hello && state.replayLeft === 0;
  useLayoutEffect(() => {
    // In the DOM now; the next frame's callback runs once this frame is painted.
    if (ready && performance.getEntriesByName("parley:drawn").length === 0)
      requestAnimationFrame(() => {
        if (performance.getEntriesByName("parley:drawn").length === 0)
          performance.mark("parley:drawn");
      });
  }, [ready]);

  useEffect(() => {
    document.title = state.agent ? `${state.agent.name} · Parley console` : "Parley console";
  }, [state.agent?.name]);

  const open = state.connected && state.session.state === "open";
  const talkable = open && state.mode === "dev";
  const toggleOpenMic = async () => {
    if (micMode === "open") {
      sending.current = false;
      mic.current.stop();
      return setMicMode("off");
    }
    if (!(await startMic())) return;
    // Leaving hold-to-talk: the agent's turn detection decides turns again.
    if (micMode === "ptt") send({ type: "ptt", state: "off" });
    sending.current = true;
    setMicMode("open");
  };
  const pushToTalk = async (down: boolean) => {
    if (down) {
      if (micMode === "open") return;
      if (player.current.playing) interrupt();
      setTalking(true);
      setMicMode("ptt");
      if (!(await startMic())) return setTalking(false);
      // Before any audio: Parley turns the agent's turn detection off, so a pause while holding ends nothing.
      send({ type: "ptt", state: "down" });
      sending.current = true;
      return;
    }
    if (!talking) return;
    setTalking(false);
    sending.current = false;
    // Released: Parley commits what was said and asks for one answer.
    send({ type: "ptt", state: "up" });
  };
  const sendImage = (file: File, text: string) => {
    const reader = new FileReader();
    reader.onload = () => {
      const data = String(reader.result).replace(/^data:[^,]*,/, "");
      // The text sent with it shows as its own line when the session confirms it (user.transcript.done).
      dispatch({
        type: "image",
        id: `image-${Date.now()}`,
        url: URL.createObjectURL(file),
        text: "",
      });
      send({ type: "image", data, ...(text ? { text } : {}) });
    };
    reader.readAsDataURL(file);
  };

  return (
    <div
      class="console"
      data-connected={String(state.connected)}
      data-session={state.session.state}
      data-ready={String(ready)}
    >
      <header class="top">
        <h1>
          Parley console{state.agent ? <span class="agent-name"> · {state.agent.name}</span> : null}
        </h1>
        <p class="status" data-testid="session-status" role="status">
          <span class={`dot ${open ? "on" : "off"}`} aria-hidden="true" />
          {!state.connected
            ? "disconnected, retrying…"
            : `${state.session.state}${state.session.detail ? ` (${state.session.detail})` : ""}`}{" "}
          · <span title={state.describe}>{state.target || "…"}</span>
        </p>
        {state.mode === "watch" && (
          <CallPicker
            calls={state.calls.list}
            watching={state.calls.watching}
            follow={state.calls.follow}
            pick={(callId) => {
              // Another call's audio is not this one's: what was queued stops.
              player.current.stop();
              send({ type: "pick", callId });
            }}
          />
        )}
        <nav class="session-controls" aria-label="Session">
          {state.mode === "dev" && (
            <button
              type="button"
              data-testid="restart-button"
              onClick={() => send({ type: "restart" })}
              disabled={!state.connected}
            >
              Restart
            </button>
          )}
          <button
            type="button"
            data-testid="end-button"
            onClick={() => send({ type: "end" })}
            disabled={!open}
          >
            {state.mode === "dev" ? "End" : "End call"}
          </button>
          <a class="button" href="transcript.txt" download data-testid="download-transcript">
            Transcript
          </a>
          <a class="button" href="events.jsonl" download data-testid="download-events">
            Event log
          </a>
        </nav>
      </header>
      <main class="layout">
        <section class="conversation" aria-labelledby="conversation-title">
          <h2 id="conversation-title" class="visually-hidden">
            Conversation
          </h2>
          <Transcript lines={state.lines} />
          {state.mode === "dev" && (
            <VoiceControls
              micMode={micMode}
              talking={talking}
              muted={muted}
              disabled={!talkable}
              toggleOpenMic={() => void toggleOpenMic()}
              pushToTalk={(down) => void pushToTalk(down)}
              toggleMute={() => {
                mutedRef.current = !muted;
                setMuted(!muted);
              }}
              interrupt={interrupt}
            />
          )}
          <Composer
            disabled={!open}
            sendText={(text) => send({ type: "text", text })}
            sendImage={sendImage}
          />
        </section>
        <aside class="side">
          <ErrorPanel errors={state.errors} />
          <ToolTimeline
            tools={state.tools}
            canApprove={open}
            decide={(callId, approved) => send({ type: "approval", callId, approved })}
          />
          <MetersPanel state={state} />
          <AgentPanel state={state} />
        </aside>
      </main>
    </div>
  );
}
