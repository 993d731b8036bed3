import type { Session, StreamEvent } from "@parley/core";
import { SessionRecord } from "../dev/session-record.ts";

/** Protocol events the page never needs (one per audio chunk): kept in the event log, not sent. */
const NOISY = new Set(["input_audio_buffer.append", "response.output_audio.delta"]);
const MAX_LOG_LINES = 200_000;
const MAX_REPLAY = 5_000;

/**
 * What a console keeps of its sessions: the downloads (the transcript and the event log, JSON lines, of every session
 * it has seen) and the current session's replay for a page that connects late (its stream events, without the
 * protocol events and the audio).
 */
export class ConsoleRecord {
  readonly #log: string[] = [];
  readonly #records: SessionRecord[] = [];
  #replay: StreamEvent[] = [];

  /** The current session's events a late page is sent. */
  get replay(): readonly StreamEvent[] {
    return this.#replay;
  }

  /** A new session: its replay starts empty. */
  restart(): void {
    this.#replay = [];
  }

  /** The transcript of `session` goes into the download. */
  follow(session: Session): void {
    this.#records.push(new SessionRecord(session));
  }

  /** Records one stream event; false when the pages need not see it (a per-chunk protocol event). */
  push(event: StreamEvent): boolean {
    if (this.#log.length >= MAX_LOG_LINES) this.#log.shift();
    this.#log.push(JSON.stringify(event));
    if (event.type === "client.event" || event.type === "server.event")
      return !NOISY.has(event.event.type);
    if (event.type !== "agent.audio") {
      if (this.#replay.length >= MAX_REPLAY) this.#replay.shift();
      this.#replay.push(event);
    }
    return true;
  }

  /** The transcript of every session so far (redacted). */
  transcript(): string {
    return this.#records.map((r) => r.text()).join("");
  }

  /** Every stream event so far, one JSON line each (redacted by the stream). */
  events(): string {
    return this.#log.length ? `${this.#log.join("\n")}\n` : "";
  }
}
