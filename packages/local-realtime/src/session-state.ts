import type { RealtimeSessionCreateResponse } from "openai/resources/realtime/client-secrets";

/** The full session object the server reports in session.created / session.updated (GA shape). */
export type SessionObject = RealtimeSessionCreateResponse & {
  type: "realtime";
  id: string;
  object: "realtime.session";
};

export const DEFAULT_INSTRUCTIONS =
  "You are a helpful, witty and friendly AI. Act like a human, but remember that you aren't a human. Keep your replies short.";

const DEFAULT_TURN_DETECTION = {
  type: "server_vad",
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 200,
  idle_timeout_ms: null,
  create_response: true,
  interrupt_response: true,
} as const;

/** The session a new connection starts with, as the API reports it: audio out, pcm 24 kHz, server VAD. */
export function defaultSession(id: string, model: string, nowSeconds: number): SessionObject {
  return {
    type: "realtime",
    object: "realtime.session",
    id,
    model,
    output_modalities: ["audio"],
    instructions: DEFAULT_INSTRUCTIONS,
    tools: [],
    tool_choice: "auto",
    max_output_tokens: "inf",
    tracing: null,
    truncation: "auto",
    prompt: null,
    expires_at: nowSeconds + 3600,
    audio: {
      input: {
        format: { type: "audio/pcm", rate: 24000 },
        turn_detection: { ...DEFAULT_TURN_DETECTION },
      },
      output: { format: { type: "audio/pcm", rate: 24000 }, voice: "alloy", speed: 1 },
    },
  } as unknown as SessionObject;
}

type Json = Record<string, unknown>;

/**
 * Applies a session.update's `session` to the current session: only the fields present change; `audio.input` and
 * `audio.output` merge field by field; a turn_detection object fills in the API's defaults for its type.
 */
export function applySessionUpdate(current: SessionObject, update: Json): SessionObject {
  const next = { ...(current as unknown as Json) };
  for (const [key, value] of Object.entries(update)) {
    if (key === "audio") continue;
    if (key === "type") continue;
    next[key] = value;
  }
  if (next.include === null) delete next.include;
  const audioUpdate = update.audio as { input?: Json; output?: Json } | undefined;
  if (audioUpdate) {
    const audio = { ...((next.audio as Json) ?? {}) } as { input: Json; output: Json };
    if (audioUpdate.input) {
      audio.input = { ...audio.input, ...audioUpdate.input };
      // The session object has no null for these: "off" is their absence.
      for (const key of ["transcription", "noise_reduction"])
        if (audio.input[key] === null) delete audio.input[key];
      if ("turn_detection" in audioUpdate.input)
        audio.input.turn_detection = withTurnDetectionDefaults(
          audioUpdate.input.turn_detection as Json | null,
        );
    }
    if (audioUpdate.output) audio.output = { ...audio.output, ...audioUpdate.output };
    next.audio = audio;
  }
  return next as unknown as SessionObject;
}

function withTurnDetectionDefaults(td: Json | null): Json | null {
  if (!td) return null;
  if (td.type === "semantic_vad")
    return {
      type: "semantic_vad",
      eagerness: "auto",
      create_response: true,
      interrupt_response: true,
      ...td,
    };
  return { ...DEFAULT_TURN_DETECTION, ...td };
}

/** Accessors the rest of the server reads, so the nested GA shape is spelled out in one place. */
export const sessionView = {
  outputModalities: (s: SessionObject): string[] =>
    (s.output_modalities as string[] | undefined) ?? ["audio"],
  inputFormat: (s: SessionObject): string =>
    (s.audio?.input?.format as { type?: string } | undefined)?.type ?? "audio/pcm",
  turnDetection: (s: SessionObject): Json | null =>
    (s.audio?.input?.turn_detection as Json | null | undefined) ?? null,
  transcription: (s: SessionObject): Json | null =>
    (s.audio?.input?.transcription as Json | null | undefined) ?? null,
  voice: (s: SessionObject): string => String(s.audio?.output?.voice ?? "alloy"),
};
