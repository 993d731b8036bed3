import type { Clock } from "../clock/index.ts";
import { LazySet } from "../collections/lazy.ts";
import { isParleyError } from "../errors/index.ts";
import { redactQuick } from "../log/redact.ts";
import type { SessionEvents } from "./events.ts";

/**
 * Events that exist only in the stream: decisions the runtime makes that no listener API carries.
 * `response.dropped`: a queued response request was given up (its filler's call ended, the session is ending, …).
 */
export interface StreamOnlyEvents {
  "response.dropped": { kind: string; reason: string };
  "session.started": { transport: string; agent: string | undefined };
}

/** The name of any event in the stream. */
export type StreamEventType = keyof SessionEvents | keyof StreamOnlyEvents;

/** An error as the stream carries it. */
export interface StreamError {
  name: string;
  message: string;
  code?: string;
  type?: string;
  param?: string;
  eventId?: string;
}

/** A payload with bytes replaced by their count (`audio` → `audioBytes`) and errors by StreamError. */
type JsonPayload<P> = {
  [F in keyof P as P[F] extends Uint8Array ? `${F & string}Bytes` : F]: P[F] extends Uint8Array
    ? number
    : P[F] extends Error
      ? StreamError
      : P[F];
};

type SessionPayload<K extends keyof SessionEvents> = Parameters<SessionEvents[K]>[0];

interface StreamMeta<K> {
  type: K;
  /** The session clock's time (ms). */
  at: number;
  /** The session's id then (`parley_sess_…` until the server names it `sess_…`). */
  sessionId: string;
  /** Its place in the session's stream, from 1. */
  seq: number;
}

/**
 * One event of a session, JSON-serialisable and redacted: `type` is the session event's name (`agent.transcript.done`,
 * `tool.output`, `client.event`, …), with `at`, `sessionId` and `seq` (see StreamMeta). The rest is the event's
 * payload, with these changes: bytes become counts (`agent.audio`'s `audio` → `audioBytes`, the base64 audio of
 * protocol events → `audioBytes`), errors become StreamError, protocol events sit under `event`, and secret-looking
 * values are `[redacted]`. Switch on `type` to get each payload's fields typed.
 *
 * @example
 * session.onEvent((e) => log.write(`${JSON.stringify(e)}\n`)); // one JSON line per event
 * session.onEvent((e) => { if (e.type === "tool.output") console.log(e.tool, e.state); });
 */
export type StreamEvent =
  | {
      [K in Exclude<keyof SessionEvents, "client.event" | "server.event">]: StreamMeta<K> &
        Omit<JsonPayload<SessionPayload<K>>, "type" | "at">;
    }[Exclude<keyof SessionEvents, "client.event" | "server.event">]
  | {
      // One member per name, so `Extract<StreamEvent, { type: "server.event" }>` finds it.
      [K in "client.event" | "server.event"]: StreamMeta<K> & {
        event: { type: string } & Record<string, unknown>;
      };
    }["client.event" | "server.event"]
  | { [K in keyof StreamOnlyEvents]: StreamMeta<K> & StreamOnlyEvents[K] }[keyof StreamOnlyEvents];

export type StreamListener = (event: StreamEvent) => void;

/** What a stream asks its session, as methods of one object (no closure per session). */
export interface StreamHooks {
  /** The session id stamped on each event. */
  sessionId(): string;
  /** A listener threw. */
  failed(error: unknown): void;
}

/** The session's one stream: built only while someone listens; a listener that throws is reported, never rethrown. */
export class EventStream {
  readonly #listeners = new LazySet<StreamListener>();
  readonly #clock: Clock;
  readonly #hooks: StreamHooks;
  #seq = 0;
  #listed: StreamListener[] | undefined;
  #reporting = false;

  constructor(clock: Clock, hooks: StreamHooks) {
    this.#clock = clock;
    this.#hooks = hooks;
  }

  get active(): boolean {
    return this.#listeners.size > 0;
  }

  subscribe(listener: StreamListener): () => void {
    this.#listeners.add(listener);
    this.#listed = undefined;
    return () => {
      this.#listed = undefined;
      return this.#listeners.delete(listener);
    };
  }

  /** The listeners when an event starts out (one added or removed meanwhile counts from the next), kept between events. */
  #snapshot(): StreamListener[] {
    this.#listed ??= [...this.#listeners];
    return this.#listed;
  }

  push(type: StreamEventType, payload: unknown): void {
    if (!this.active) return;
    // The payload's copy takes the meta fields in place (no second copy); its own `type`/`at` keep their place.
    const event = streamPayload(type, payload);
    event.type = type;
    event.at = this.#clock.now();
    event.sessionId = this.#hooks.sessionId();
    event.seq = ++this.#seq;
    for (const listener of this.#snapshot()) {
      try {
        listener(event as unknown as StreamEvent);
      } catch (error) {
        // The report is itself an event in the stream: a listener that throws on it too is not reported again.
        if (this.#reporting) continue;
        this.#reporting = true;
        try {
          this.#hooks.failed(error);
        } finally {
          this.#reporting = false;
        }
      }
    }
  }
}

/** The JSON form of one session event's payload (see StreamEvent). */
export function streamPayload(type: string, payload: unknown): Record<string, unknown> {
  if (type === "client.event" || type === "server.event")
    return { event: redactQuick(withoutAudio(payload as Record<string, unknown>)) };
  if (!payload || typeof payload !== "object") return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value instanceof Uint8Array) out[`${key}Bytes`] = value.byteLength;
    else if (value instanceof Error) out[key] = errorJson(value);
    else out[key] = value;
  }
  return redactQuick(out);
}

/** Audio carried as base64 in protocol events, replaced by its size in bytes. */
function withoutAudio(event: Record<string, unknown>): Record<string, unknown> {
  const field =
    event.type === "input_audio_buffer.append"
      ? "audio"
      : event.type === "response.output_audio.delta"
        ? "delta"
        : undefined;
  if (!field || typeof event[field] !== "string") return event;
  // A plain loop: a rest pattern with a computed key is a slow path in V8, and this runs for every audio chunk.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(event)) if (key !== field) out[key] = event[key];
  out.audioBytes = base64Length(event[field] as string);
  return out;
}

function base64Length(b64: string): number {
  const pad = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

function errorJson(error: Error): StreamError {
  const out: StreamError = { name: error.name, message: error.message };
  if (!isParleyError(error)) return out;
  out.code = error.code;
  const extra = error as unknown as Partial<Record<"type" | "param" | "eventId", string>>;
  if (extra.type !== undefined) out.type = extra.type;
  if (extra.param !== undefined) out.param = extra.param;
  if (extra.eventId !== undefined) out.eventId = extra.eventId;
  return out;
}
