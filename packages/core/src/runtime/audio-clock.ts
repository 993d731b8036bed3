/** Bytes of audio per millisecond for a Realtime audio format (pcm16 24 kHz mono; G.711 at 8 kHz). */
export function bytesPerMs(format: { type?: string; rate?: number } | undefined): number {
  if (format?.type === "audio/pcmu" || format?.type === "audio/pcma") return 8;
  return ((format?.rate ?? 24_000) * 2) / 1000;
}

/** Length in bytes of a base64 payload, without decoding it. */
export function base64Bytes(b64: string): number {
  const n = b64.length;
  if (n === 0) return 0;
  // "=" is 61: two character reads, where endsWith made two calls per audio chunk.
  const pad = b64.charCodeAt(n - 1) !== 61 ? 0 : b64.charCodeAt(n - 2) === 61 ? 2 : 1;
  return (n * 3) / 4 - pad;
}

/**
 * Where playback of the agent's audio stands. The runtime cannot hear the speaker, so when the app does not report
 * the position it is estimated: the app is assumed to start playing an item when its first chunk arrives and to play
 * in real time, so played = min(audio delivered, time since the first chunk).
 */
export class AudioClock {
  #itemId: string | undefined;
  #deliveredMs = 0;
  #startedAt = 0;
  #contentIndex = 0;
  #responseId = "";
  #bytesPerMs: number;

  constructor(bytesPerMs: number) {
    this.#bytesPerMs = bytesPerMs;
  }

  setFormat(bytesPerMs: number): void {
    this.#bytesPerMs = bytesPerMs;
  }

  /** Milliseconds of audio in `bytes` of the output format. */
  ms(bytes: number): number {
    return bytes / this.#bytesPerMs;
  }

  /** A chunk for `itemId` arrived at `now`; returns its length in ms. */
  delivered(itemId: string, bytes: number, now: number, contentIndex = 0, responseId = ""): number {
    const ms = bytes / this.#bytesPerMs;
    if (itemId !== this.#itemId) {
      this.#itemId = itemId;
      this.#contentIndex = contentIndex;
      this.#responseId = responseId;
      this.#deliveredMs = 0;
      this.#startedAt = now;
    }
    this.#deliveredMs += ms;
    return ms;
  }

  /** The agent item whose audio is (or was last) playing, with delivered and estimated played milliseconds. */
  current(now: number):
    | {
        itemId: string;
        responseId: string;
        contentIndex: number;
        deliveredMs: number;
        playedMs: number;
      }
    | undefined {
    if (this.#itemId === undefined) return undefined;
    const playedMs = Math.min(this.#deliveredMs, Math.max(0, now - this.#startedAt));
    return {
      itemId: this.#itemId,
      responseId: this.#responseId,
      contentIndex: this.#contentIndex,
      deliveredMs: this.#deliveredMs,
      playedMs,
    };
  }

  /** Playback of the current item is over (interrupted and truncated, or the app says it finished). */
  reset(): void {
    this.#itemId = undefined;
    this.#deliveredMs = 0;
  }
}
