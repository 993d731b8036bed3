export interface VoiceControlsProps {
  micMode: "off" | "open" | "ptt";
  talking: boolean;
  muted: boolean;
  disabled: boolean;
  toggleOpenMic(): void;
  pushToTalk(down: boolean): void;
  toggleMute(): void;
  interrupt(): void;
}

/**
 * Open mic (the agent's turn detection decides turns), push-to-talk (hold the button, or Space on it), mute, and
 * interrupt (Escape anywhere).
 */
export function VoiceControls(p: VoiceControlsProps) {
  const key = (down: boolean) => (e: KeyboardEvent) => {
    if ((e.key === " " || e.key === "Enter") && !e.repeat) {
      e.preventDefault();
      p.pushToTalk(down);
    }
  };
  return (
    <fieldset class="voice">
      <legend class="visually-hidden">Voice</legend>
      <button
        type="button"
        data-testid="mic-button"
        aria-pressed={p.micMode === "open"}
        disabled={p.disabled}
        onClick={p.toggleOpenMic}
      >
        {p.micMode === "open" ? "Mic on" : "Open mic"}
      </button>
      <button
        type="button"
        data-testid="push-to-talk"
        aria-pressed={p.talking}
        disabled={p.disabled}
        onPointerDown={() => p.pushToTalk(true)}
        onPointerUp={() => p.pushToTalk(false)}
        onPointerLeave={() => p.talking && p.pushToTalk(false)}
        onKeyDown={key(true)}
        onKeyUp={key(false)}
      >
        {p.talking ? "Talking…" : "Hold to talk"}
      </button>
      <button type="button" data-testid="mute-button" aria-pressed={p.muted} onClick={p.toggleMute}>
        {p.muted ? "Unmute" : "Mute"}
      </button>
      <button
        type="button"
        data-testid="interrupt-button"
        disabled={p.disabled}
        aria-keyshortcuts="Escape"
        onClick={p.interrupt}
      >
        Interrupt <kbd>Esc</kbd>
      </button>
      <meter
        id="mic-level"
        data-testid="mic-level"
        class="mic-level"
        min={0}
        max={1}
        value={0}
        data-chunks="0"
        aria-label={p.muted ? "Microphone level (muted: nothing is sent)" : "Microphone level"}
      />
    </fieldset>
  );
}
