import type { SessionUpdateEvent } from "openai/resources/realtime/realtime";
import { bytesPerMs } from "./audio-clock.ts";

/** What the runtime needs to know about the session's configuration, read from `session.updated` (the server's word). */
export interface RuntimeSettings {
  model: string;
  voice: string | undefined;
  textOnly: boolean;
  outputBytesPerMs: number;
  /** Server VAD is on and starts responses itself when the user stops speaking. */
  serverCreatesResponses: boolean;
  /** Server VAD cancels the agent's response itself when the user starts speaking. */
  serverInterrupts: boolean;
}

type Loose = {
  model?: string;
  output_modalities?: string[];
  audio?: {
    input?: { turn_detection?: { create_response?: boolean; interrupt_response?: boolean } | null };
    output?: { voice?: unknown; format?: { type?: string; rate?: number } };
  };
};

/**
 * Reads settings from a session object (`session.update`'s, or the server's in `session.updated`), over `base`:
 * fields the object leaves out keep their current value, since the API keeps them too.
 */
export function readSettings(session: unknown, base: RuntimeSettings): RuntimeSettings {
  const s = (session ?? {}) as Loose;
  const out: RuntimeSettings = { ...base };
  if (typeof s.model === "string") out.model = s.model;
  if (Array.isArray(s.output_modalities)) out.textOnly = !s.output_modalities.includes("audio");
  const voice = s.audio?.output?.voice;
  if (typeof voice === "string") out.voice = voice;
  else if (voice && typeof voice === "object" && "id" in voice)
    out.voice = String((voice as { id: unknown }).id);
  if (s.audio?.output?.format) out.outputBytesPerMs = bytesPerMs(s.audio.output.format);
  const td = s.audio?.input?.turn_detection;
  if (td === null) {
    out.serverCreatesResponses = false;
    out.serverInterrupts = false;
  } else if (td) {
    out.serverCreatesResponses = td.create_response !== false;
    out.serverInterrupts = td.interrupt_response !== false;
  }
  return out;
}

/**
 * One frozen object per distinct settings, shared by the sessions that have them (most sessions of a server have
 * the same few): an idle session holds no settings object, nor its own copy of the model's name, from the server's
 * `session.updated`. Bounded: a process seeing more distinct settings than this keeps the rest per session.
 */
const shared = new Map<string, RuntimeSettings>();
const MAX_SHARED = 64;

/**
 * Every field of RuntimeSettings, in the key's order: a Record so that a new field fails to compile until it is
 * listed here (sessions differing only in an unlisted field would share one settings object).
 */
const KEY_FIELDS = Object.keys({
  model: true,
  voice: true,
  textOnly: true,
  outputBytesPerMs: true,
  serverCreatesResponses: true,
  serverInterrupts: true,
} satisfies Record<keyof RuntimeSettings, true>) as (keyof RuntimeSettings)[];

export function sharedSettings(settings: RuntimeSettings): RuntimeSettings {
  // "\u0001" for undefined: no voice is not the voice named "undefined".
  const key = KEY_FIELDS.map((field) => settings[field] ?? "\u0001").join("\u0000");
  const known = shared.get(key);
  if (known) return known;
  const frozen = Object.freeze(settings);
  if (shared.size < MAX_SHARED) shared.set(key, frozen);
  return frozen;
}

/** The API's defaults: gpt-realtime, audio out as pcm16 24 kHz, server VAD that answers and interrupts. */
export function defaultSettings(): RuntimeSettings {
  return {
    model: "gpt-realtime",
    voice: undefined,
    textOnly: false,
    outputBytesPerMs: bytesPerMs(undefined),
    serverCreatesResponses: true,
    serverInterrupts: true,
  };
}

/** The voice a `session.update` asks for, if any. */
export function requestedVoice(update: SessionUpdateEvent): string | undefined {
  return readSettings(update.session, { ...defaultSettings(), voice: undefined }).voice;
}

/** A copy of `update` without `audio.output.voice` (the API refuses a voice change once audio was produced). */
export function withoutVoice(update: SessionUpdateEvent): SessionUpdateEvent {
  const session = structuredClone(update.session) as Loose & SessionUpdateEvent["session"];
  if (session.audio?.output && "voice" in session.audio.output) delete session.audio.output.voice;
  return { ...update, session };
}
