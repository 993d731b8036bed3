import type { RealtimeServerEvent, SessionUpdateEvent } from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { Logger } from "../log/index.ts";

/** Why the session changed mode: audio-path errors from the API, the application's call, or audio working again. */
export type ModeChangeReason = "audio_errors" | "transcription_refused" | "recovered" | string;

/** What the `mode.changed` event carries (also in the event stream). */
export interface ModeChange {
  mode: "text" | "audio";
  reason: ModeChangeReason;
  /** The last audio error's message, when errors caused the switch. */
  detail?: string;
  /** One line for the user (a UI shows it once per switch). */
  notice: string;
}

export interface TextFallbackOptions {
  /** Audio-path errors within `windowMs` that switch to text (default 3). */
  errors?: number;
  /** Default 60 000 ms. */
  windowMs?: number;
}

interface Deps {
  clock: Clock;
  log: Logger;
  /** The session.update in force (the fallback changes only its output modalities). */
  current(): SessionUpdateEvent;
  update(next: SessionUpdateEvent): Promise<void>;
  changed(e: ModeChange): void;
  /** The agent tells the user itself: a response with these instructions (after the switch is applied). */
  tell(instructions: string): void;
  failed(error: unknown): void;
}

/** The resolved promise every session's first switch chains on (one for all, not one per session). */
const settled: Promise<void> = Promise.resolve();

type Modalities = Array<"text" | "audio"> | undefined;

const NOTICES = {
  text: "Audio is not working right now: let's continue by text.",
  audio: "Audio works again: back to voice.",
};

/**
 * What the agent is asked to say at a switch, once: the line in the conversation's language. The English line
 * is written with the `Say exactly` convention so the local server's rules model (which cannot translate) says it.
 */
export function tellUser(mode: "text" | "audio"): string {
  const why =
    mode === "text"
      ? "The audio connection is not working, so the conversation continues in text for now."
      : "Audio works again, so the conversation continues by voice.";
  return `${why} Tell the user this once, in one short sentence, in the language the user has been speaking (translate it if that is not English). In English, say exactly: "${NOTICES[mode]}"`;
}

/**
 * Text fallback: counts audio-path failures the server reports (a failed input transcription, an error event about
 * audio or transcription) and, after `errors` of them within `windowMs`, switches the session to text output
 * (`output_modalities: ["text"]`) with a `session.update`: the conversation stays as it is. A refused transcription
 * model switches at once. A transcription that completes while in text mode (audio works again) switches back;
 * the application switches with `useText` / `useAudio` (a console whose microphone is denied or lost).
 */
// The failure times are replaced, never changed in place: sessions without one share this list.
const NO_FAILURES: readonly number[] = [];

export class TextFallback {
  #mode: "audio" | "text" = "audio";
  #reason: ModeChangeReason | undefined;
  #failures: readonly number[] = NO_FAILURES;
  /** The output modalities before the switch, restored on the way back. */
  #audioModalities: Modalities | undefined;
  #switching: Promise<void> = settled;
  readonly #errors: number;
  readonly #windowMs: number;

  constructor(
    private readonly deps: Deps,
    options: TextFallbackOptions = {},
  ) {
    this.#errors = options.errors ?? 3;
    this.#windowMs = options.windowMs ?? 60_000;
  }

  /** Whether `serverEvent` can act on this event in a session that has counted nothing yet (audio mode). */
  static reads(e: RealtimeServerEvent): boolean {
    return e.type === "conversation.item.input_audio_transcription.failed" || e.type === "error";
  }

  get mode(): "audio" | "text" {
    return this.#mode;
  }

  /**
   * An agent's update (a handoff, `updateAgent`) made while in text mode stays in text: its own output modalities
   * are kept for the way back.
   */
  adjust(next: SessionUpdateEvent): SessionUpdateEvent {
    if (this.#mode === "audio") return next;
    this.#audioModalities = (next.session as { output_modalities?: Modalities }).output_modalities;
    return withModalities(next, ["text"]);
  }

  /** Reads every server event (called by the wire before dispatch). */
  serverEvent(e: RealtimeServerEvent): void {
    if (e.type === "conversation.item.input_audio_transcription.failed") {
      this.#failure(e.error.message ?? e.error.code ?? "input transcription failed");
    } else if (e.type === "error") {
      const kind = audioErrorKind(e.error);
      if (kind === "transcription_refused" && this.#mode === "audio")
        this.#start(() => this.#toText("transcription_refused", e.error.message)).catch(() => {});
      else if (kind === "audio") this.#failure(e.error.message);
    } else if (
      e.type === "conversation.item.input_audio_transcription.completed" &&
      this.#mode === "text" &&
      this.#reason === "audio_errors"
    ) {
      this.#start(() => this.#toAudio("recovered"));
    }
  }

  /** Switches to text (no-op when already in text). Resolves once the server has applied it. */
  useText(reason: ModeChangeReason, detail?: string): Promise<void> {
    return this.#start(() => this.#toText(reason, detail));
  }

  /** Switches back to audio (no-op when already in audio). */
  useAudio(reason: ModeChangeReason = "application"): Promise<void> {
    return this.#start(() => this.#toAudio(reason));
  }

  #failure(detail: string): void {
    if (this.#mode === "text") return;
    const now = this.deps.clock.now();
    this.#failures = [...this.#failures.filter((t) => now - t < this.#windowMs), now];
    this.deps.log.debug("audio path failure", { count: this.#failures.length, detail });
    if (this.#failures.length >= this.#errors)
      this.#start(() => this.#toText("audio_errors", detail)).catch(() => {});
  }

  /** Switches run one at a time, in order. */
  #start(step: () => Promise<void>): Promise<void> {
    const run = this.#switching.then(step);
    this.#switching = run.catch((error) => this.deps.failed(error));
    return run;
  }

  async #toText(reason: ModeChangeReason, detail: string | undefined): Promise<void> {
    if (this.#mode === "text") return;
    const current = this.deps.current();
    this.#audioModalities = (
      current.session as { output_modalities?: Modalities }
    ).output_modalities;
    this.#mode = "text";
    this.#reason = reason;
    this.#failures = NO_FAILURES;
    await this.deps.update(withModalities(current, ["text"]));
    this.deps.tell(tellUser("text"));
    this.deps.changed({
      mode: "text",
      reason,
      ...(detail === undefined ? {} : { detail }),
      notice: NOTICES.text,
    });
  }

  async #toAudio(reason: ModeChangeReason): Promise<void> {
    if (this.#mode === "audio") return;
    this.#mode = "audio";
    this.#reason = undefined;
    await this.deps.update(withModalities(this.deps.current(), this.#audioModalities ?? ["audio"]));
    this.deps.tell(tellUser("audio"));
    this.deps.changed({ mode: "audio", reason, notice: NOTICES.audio });
  }
}

function withModalities(update: SessionUpdateEvent, modalities: Modalities): SessionUpdateEvent {
  return {
    ...update,
    session: { ...update.session, output_modalities: modalities },
  } as SessionUpdateEvent;
}

/**
 * The `error` events that count toward the switch, by their exact `param` (the `openai` types give `code` and
 * `param` as strings; the API names the field it refused): audio the server could not take, or a refused audio
 * format or transcription setting. Anything else does not count: an empty commit (`input_audio_buffer_commit_empty`,
 * a push-to-talk released on silence, param null), a refused voice, a tool or rate-limit error.
 */
const AUDIO_PARAMS = new Set([
  "audio", // input_audio_buffer.append with audio the server cannot decode
  "session.audio.input.format",
  "session.audio.input.format.type",
  "session.audio.input.format.rate",
  "session.audio.output.format",
  "session.audio.output.format.type",
  "session.audio.output.format.rate",
  "session.audio.input.transcription",
  "session.audio.input.transcription.language",
  "session.audio.input.transcription.prompt",
]);
/** A refused transcription model: input can no longer be understood, so the switch is at once. */
const TRANSCRIPTION_MODEL = "session.audio.input.transcription.model";

/**
 * How an error event bears on the audio path: `transcription_refused` (switch at once), `audio` (counts toward the
 * switch), or undefined (does not count).
 */
export function audioErrorKind(error: {
  code?: string | null;
  param?: string | null;
}): "transcription_refused" | "audio" | undefined {
  if (!error.param) return undefined;
  if (error.param === TRANSCRIPTION_MODEL) return "transcription_refused";
  return AUDIO_PARAMS.has(error.param) ? "audio" : undefined;
}
