import type { Clock } from "../clock/index.ts";
import { NONE } from "../collections/lazy.ts";
import { redactChecked, redactQuick } from "../log/redact.ts";
import { redactedMembers, streamTime } from "../log/redacted-json.ts";
import type { SessionEvents } from "./events.ts";
import {
  errorJson,
  frameMember,
  metaTail,
  payloadMember,
  protocolMember,
  sessionHead,
  withoutAudio,
} from "./stream-lines.ts";

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
  /** The session clock's time (ms, rounded to the µs: see streamTime). */
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

/**
 * Marks a listener that takes the stream as JSON lines (a session log): `listener[STREAM_LINES](line, type)` gets
 * each event as `JSON.stringify(event)` would write it (no newline; `sessionId` left out when the last line it was
 * given had the same, and a `usage` line without its `usage` and `tokens`: see docs/logs.md, format 4), and the
 * listener itself is not called. The stream then writes protocol events from their frame text and flat payloads
 * member by member, building no event object for it (stream-lines.ts).
 */
export const STREAM_LINES: unique symbol = Symbol("parley.stream-lines");

/** A listener that takes JSON lines (see STREAM_LINES). */
export type StreamLineListener = StreamListener & {
  readonly [STREAM_LINES]: (line: string, type: StreamEventType | typeof LOG_CHUNKS) => void;
  readonly [STREAM_GATE]?: LineGate;
  readonly [STREAM_SKIPS]?: ReadonlySet<string>;
};

/**
 * Marks the event types a line listener leaves out (`listener[STREAM_SKIPS]`): a session log leaves out the events
 * that are a pure function of one protocol event it already holds (its readers derive them). An event no listener
 * takes is not built at all: the session counts the stream as one of its listeners only if some listener takes it
 * (EventStream.wants), and the stream gives it no `seq`.
 */
export const STREAM_SKIPS: unique symbol = Symbol("parley.stream-skips");

/**
 * Decides, before any line is built, which events a line listener leaves out (a session log's later chunks of a
 * streamed part, `chunks: "first"`). `take` counts what it leaves out and hands `ended` the summary of each part the
 * event ends; the stream writes each as a `log.chunks` line (redacted, its own `seq`) before the event's line.
 */
export interface LineGate {
  /** True: no line for this event. */
  take(
    type: StreamEventType,
    payload: unknown,
    at: number,
    ended: (summary: object) => void,
  ): boolean;
  /** Whether `take` would leave out this protocol event (asked before it is emitted, counting nothing). */
  skipsFrame(event: Record<string, unknown>): boolean;
}

/** Marks a line listener's gate (see LineGate): `listener[STREAM_GATE]`. */
export const STREAM_GATE: unique symbol = Symbol("parley.stream-gate");

/** The type of a log-only line: a part's chunks that went unwritten (see LineGate). */
export const LOG_CHUNKS = "log.chunks";

type LineSink = (line: string, type: StreamEventType | typeof LOG_CHUNKS) => void;

interface Listed {
  objects: StreamListener[];
  lines: LineSink[];
  /** Per line sink, its gate if it has one. */
  gates: (LineGate | undefined)[];
  /** Any gate at all. */
  gated: boolean;
  /** Per line sink, where its gate's summaries go (made once, not per event). */
  ended: ((summary: object) => void)[];
  /** Per line sink, the types it leaves out (STREAM_SKIPS). */
  skips: (ReadonlySet<string> | undefined)[];
  /** Any gate or skips at all: the line sinks then differ per event. */
  filtered: boolean;
  /** The types every listener leaves out (undefined: none). */
  none: ReadonlySet<string> | undefined;
  /**
   * Per line sink, the session id its last line carried: a line carries `sessionId` only when it differs (the reader
   * carries it forward). Made again with the snapshot, so a sink's first line after any change of listeners has it.
   */
  said: Map<LineSink, string>;
}

/** A protocol event made ready before it is emitted (see EventStream.frameText). */
interface PreparedFrame {
  event: unknown;
  /** Its line up to the stream's own fields, from the frame text; undefined: serialise the event instead. */
  member: string | undefined;
  /** The payload object listeners get (redacted copy), when there are any. */
  built: Record<string, unknown> | undefined;
}

/** What a stream asks its session, as methods of one object (no closure per session). */
export interface StreamHooks {
  /** The session id stamped on each event. */
  sessionId(): string;
  /** A listener threw. */
  streamListenerFailed(error: unknown): void;
}

/** The session's one stream: built only while someone listens; a listener that throws is reported, never rethrown. */
export class EventStream {
  #listeners: Set<StreamListener> | undefined;
  readonly #clock: Clock;
  readonly #hooks: StreamHooks;
  #seq = 0;
  #listed: Listed | undefined;
  #reporting = false;
  /** The time and session id of the event being pushed, for its gates' summaries. */
  #pushAt = 0;
  #pushSession = "";
  /** The session id part of this stream's lines (see #sessionHead). */
  #head: { id: string; text: string } | undefined;
  /**
   * The next protocol event's line member (made from its frame text) and, with object listeners, its redacted
   * copy: both made before anyone else saw the event (a listener may change it; the text is what was on the wire).
   */
  #frame: PreparedFrame | undefined;

  constructor(clock: Clock, hooks: StreamHooks) {
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /**
   * True while someone listens. Read for every event the session emits and every `listenerCount` (several per
   * frame): a plain field, kept by `subscribe`, not a getter over the set. Not to be written from outside.
   */
  active = false;

  subscribe(listener: StreamListener): () => void {
    this.#listenersOf().add(listener);
    this.#listed = undefined;
    this.active = true;
    return () => {
      this.#listed = undefined;
      const removed = this.#listeners?.delete(listener) === true;
      this.active = (this.#listeners?.size ?? 0) > 0;
      return removed;
    };
  }

  /** The listeners when an event starts out (one added or removed meanwhile counts from the next), kept between events. */
  #snapshot(): Listed {
    if (this.#listed) return this.#listed;
    const objects: StreamListener[] = [];
    const lines: LineSink[] = [];
    const gates: (LineGate | undefined)[] = [];
    const ended: ((summary: object) => void)[] = [];
    const skips: (ReadonlySet<string> | undefined)[] = [];
    for (const listener of this.#listeners ?? NONE) {
      const sink = (listener as Partial<StreamLineListener>)[STREAM_LINES];
      if (typeof sink === "function") {
        lines.push(sink);
        gates.push((listener as Partial<StreamLineListener>)[STREAM_GATE]);
        skips.push((listener as Partial<StreamLineListener>)[STREAM_SKIPS]);
        ended.push((summary) => this.#summary(sink, summary, this.#pushAt, this.#pushSession));
      } else objects.push(listener);
    }
    const gated = gates.some((g) => g !== undefined);
    const skipping = skips.some((s) => s !== undefined);
    this.#listed = {
      objects,
      lines,
      gates,
      gated,
      ended,
      skips,
      filtered: gated || skipping,
      none: objects.length ? undefined : common(skips),
      said: new Map(),
    };
    return this.#listed;
  }

  /**
   * The frame text a protocol event (`server.event`, `client.event`) was read from or sent as, given before the event
   * is emitted: line listeners get that text (checked as the event would be redacted) instead of a serialised copy.
   * With object listeners too, the one check is the one their copy takes (redactChecked). Used by the push of that
   * very event object only.
   */
  frameText(event: object, text: string | undefined): void {
    this.#frame = undefined;
    const { objects, lines, gates, gated } = this.#snapshot();
    if (text === undefined || !lines.length) return;
    const raw = event as Record<string, unknown>;
    if (!objects.length) {
      // A chunk every log leaves out: no line to prepare.
      if (gated && this.#allSkip(gates, raw)) return;
      const member = protocolMember(raw, text);
      if (member !== undefined) this.#frame = { event, member, built: undefined };
      return;
    }
    const { value, clean } = redactChecked(withoutAudio(raw));
    const member = clean ? frameMember(raw, text) : undefined;
    this.#frame = { event, member, built: { event: value } };
  }

  /**
   * A protocol event when line listeners are all the stream has (a session log, the common case): counted by their
   * gates (a streamed part's later chunk) or written from its frame text (serialised when there is none, or when
   * redaction would change it), in one pass, and true: the caller then emits nothing (no event object, no pass
   * through the emitter). False: emit it as any other (an object listener, or no listener that takes its type).
   * `now`: the session clock's reading for it, when the caller took one.
   */
  frame(
    event: object,
    text: string | undefined,
    type: "server.event" | "client.event",
    now?: number,
  ): boolean {
    if (!this.active) return false;
    const { objects, none } = this.#snapshot();
    // An object listener, or no listener that takes this type (an app's own listener then counted it): emitted.
    if (objects.length || none?.has(type)) return false;
    // The gates see it first (a later chunk of a part is only counted); a line is made from the text only for the
    // sinks that take one.
    this.#push(type, event, undefined, undefined, text, now);
    return true;
  }

  /** Whether every line sink's gate leaves this protocol event out. */
  #allSkip(gates: (LineGate | undefined)[], raw: Record<string, unknown>): boolean {
    for (const gate of gates) if (!gate?.skipsFrame(raw)) return false;
    return true;
  }

  /**
   * Whether some listener takes events of this type: the session builds an event only for it (its listenerCount).
   * Read several times per frame: the snapshot is kept between events.
   */
  wants(type: string): boolean {
    if (!this.active) return false;
    const none = (this.#listed ?? this.#snapshot()).none;
    return none === undefined || !none.has(type);
  }

  push(type: StreamEventType, payload: unknown): void {
    if (!this.active) return;
    let frame = this.#frame;
    if (frame?.event === payload) this.#frame = undefined;
    else frame = undefined;
    this.#push(type, payload, frame?.member, frame?.built);
  }

  /**
   * push, with the line member and the object listeners' copy of a protocol event when they were made before, or
   * the frame text to make the member from once a sink takes a line (`text`), and the clock's reading when the
   * caller had it (`now`).
   */
  #push(
    type: StreamEventType,
    payload: unknown,
    member: string | undefined,
    built?: Record<string, unknown>,
    text?: string,
    now?: number,
  ): void {
    const { objects, lines, gates, filtered, ended, skips, none, said } = this.#snapshot();
    // Nobody takes it (the session emitted it for a listener of its own): no line, no seq.
    if (none?.has(type)) return;
    const at = streamTime(now ?? this.#clock.now());
    const sessionId = this.#hooks.sessionId();
    // Gates first: the summaries of parts this event ends take their seq before its own. The sinks that take a
    // line stay `lines` itself unless a gate leaves this event out.
    let open = lines;
    if (filtered) {
      this.#pushAt = at;
      this.#pushSession = sessionId;
      for (let i = 0; i < lines.length; i++) {
        const gate = gates[i];
        const skipped =
          skips[i]?.has(type) === true ||
          gate?.take(type, payload, at, ended[i] as (summary: object) => void) === true;
        // A log's later chunk (most frames) is left out by the only sink: no array made for it.
        if (skipped && open === lines) open = i === 0 ? NO_SINKS : lines.slice(0, i);
        else if (!skipped && open !== lines) {
          if (open === NO_SINKS) open = [];
          open.push(lines[i] as LineSink);
        }
      }
    }
    const seq = ++this.#seq;
    if (!objects.length && !open.length) return;
    let event: Record<string, unknown> | undefined;
    if (objects.length) {
      // The payload's copy takes the meta fields in place (no second copy); its own `type`/`at` keep their place.
      event = built ?? streamPayload(type, payload);
      event.type = type;
      event.at = at;
      event.sessionId = sessionId;
      event.seq = seq;
    }
    if (open.length) {
      let same = true;
      for (const sink of open) if (said.get(sink) !== sessionId) same = false;
      // A protocol event's line from its frame text when redaction changes nothing in it (else serialised).
      if (text !== undefined && member === undefined)
        member = protocolMember(payload as Record<string, unknown>, text);
      const line = this.#line(type, payload, member, event, at, sessionId, seq, same);
      for (const sink of open) {
        if (!same) said.set(sink, sessionId);
        this.#deliver(sink, line, type);
      }
    }
    if (event)
      for (const listener of objects) this.#deliver(listener, event as unknown as StreamEvent);
  }

  /**
   * `,"sessionId":…,"seq":` for this stream's session, made again only when its id changes; `,"seq":` when the sinks'
   * last lines carried that id already (`same`).
   */
  #sessionHead(sessionId: string, same: boolean): string {
    if (same) return SEQ_HEAD;
    if (this.#head?.id !== sessionId) this.#head = { id: sessionId, text: sessionHead(sessionId) };
    return this.#head.text;
  }

  /** A part's summary line (LineGate), redacted as any payload: text parts may carry their unwritten text. */
  #summary(sink: LineSink, summary: object, at: number, sessionId: string): void {
    const seq = ++this.#seq;
    const said = this.#snapshot().said;
    const same = said.get(sink) === sessionId;
    // Written member by member, redacted as it goes (a copy redacted, then serialised, cost 4 µs a line).
    const opened = redactedMembers(summary);
    const line =
      opened === undefined
        ? JSON.stringify(redactQuick({ type: LOG_CHUNKS, at, sessionId, seq, ...summary }))
        : metaTail(opened, LOG_CHUNKS, at, this.#sessionHead(sessionId, same), seq);
    said.set(sink, sessionId);
    this.#deliver(sink, line, LOG_CHUNKS);
  }

  #line(
    type: StreamEventType,
    payload: unknown,
    member: string | undefined,
    event: Record<string, unknown> | undefined,
    at: number,
    sessionId: string,
    seq: number,
    same: boolean,
  ): string {
    if (member !== undefined)
      return metaTail(member, type, at, this.#sessionHead(sessionId, same), seq);
    // Built for object listeners already (redacted): serialising it costs less than a second pass.
    if (event) return JSON.stringify(event);
    const opened = payloadMember(type, payload);
    if (opened !== undefined)
      return metaTail(opened, type, at, this.#sessionHead(sessionId, same), seq);
    const built = streamPayload(type, payload);
    built.type = type;
    built.at = at;
    built.sessionId = sessionId;
    built.seq = seq;
    return JSON.stringify(built);
  }

  #deliver<A, B>(listener: (a: A, b: B) => void, a: A, b?: B): void {
    try {
      listener(a, b as B);
    } catch (error) {
      // The report is itself an event in the stream: a listener that throws on it too is not reported again.
      if (this.#reporting) return;
      this.#reporting = true;
      try {
        this.#hooks.streamListenerFailed(error);
      } finally {
        this.#reporting = false;
      }
    }
  }

  /** `#listeners`, made on the first write (most sessions never write to it). */
  #listenersOf(): Set<StreamListener> {
    this.#listeners ??= new Set();
    return this.#listeners;
  }
}

/** The sinks an event goes to when every one leaves it out (never added to). */
const NO_SINKS: LineSink[] = [];

/** A line's tail when its sinks' last lines carried its session id already. */
const SEQ_HEAD = ',"seq":';

/** The types in every one of `sets` (undefined when one of them is undefined: that listener takes everything). */
function common(sets: (ReadonlySet<string> | undefined)[]): ReadonlySet<string> | undefined {
  if (!sets.length || sets.some((s) => s === undefined)) return undefined;
  const [first, ...rest] = sets as ReadonlySet<string>[];
  if (rest.every((s) => s === first)) return first;
  return new Set([...(first as ReadonlySet<string>)].filter((t) => rest.every((s) => s.has(t))));
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
