import { type AudioPart, AudioTail } from "./audio-tail.ts";

/** A playback report older than this is not extrapolated (the page stopped playing, or went away). */
const PLAYBACK_FRESH_MS = 500;
/** A page that comes back within this long after its last playback report resumes the agent's audio from there. */
const RESUME_WITHIN_MS = 15_000;
/** PCM16 24 kHz mono. */
const BYTES_PER_MS = 48;

/** What a reconnecting page already has of the agent's audio (its socket URL's `?resume_item=…&resume_bytes=…`). */
export interface ResumeFrom {
  itemId: string;
  bytes: number;
}

/**
 * Where the pages are in the agent's audio: their playback reports (a barge-in truncates where the person stopped
 * hearing) and the recent audio itself (a page that comes back gets the rest instead of silence).
 */
export class Playback {
  /** Playback reports: agent item id → position heard and when it was reported. */
  readonly #played = new Map<string, { ms: number; at: number }>();
  readonly #tail = new AudioTail();

  /**
   * The page's playback position of an agent item: its last report plus the time since (it kept playing), for
   * `startSession({ playedMs })`.
   */
  readonly playedMs = (itemId: string): number | undefined => {
    const report = this.#played.get(itemId);
    if (!report) return undefined;
    const since = performance.now() - report.at;
    return report.ms + (since < PLAYBACK_FRESH_MS ? since : 0);
  };

  report(itemId: string, playedMs: number): void {
    this.#played.set(itemId, { ms: playedMs, at: performance.now() });
  }

  /** A chunk of the agent's audio, as sent to the pages. */
  audio(itemId: string, audio: Buffer): void {
    this.#tail.push(itemId, audio);
  }

  /** The item was cut: its unheard rest must not come back. */
  interrupted(itemId: string): void {
    this.#tail.drop(itemId);
  }

  /** A new session, or the session is over. */
  clear(): void {
    this.#played.clear();
    this.#tail.clear();
  }

  /**
   * What a (re)connecting page should still play. A page that says what it has: the rest of that item, and the items
   * after it. A new page (a reload): the newest item from where a page last reported playing it, if that was lately
   * and it is not over.
   */
  resume(from: ResumeFrom | undefined): AudioPart[] {
    if (from) return this.#tail.from(from.itemId, from.bytes);
    const latest = this.#tail.latest;
    const report = latest === undefined ? undefined : this.#played.get(latest);
    if (latest === undefined || !report || performance.now() - report.at > RESUME_WITHIN_MS)
      return [];
    const bytes = Math.floor(((this.playedMs(latest) ?? 0) * BYTES_PER_MS) / 2) * 2;
    return bytes < this.#tail.size(latest) ? this.#tail.from(latest, bytes) : [];
  }
}
