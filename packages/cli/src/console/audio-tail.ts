/** Items kept: the one playing and the ones queued after it (a filler, then the answer). */
const KEEP_ITEMS = 4;
/** Bytes kept per item: 3 minutes of PCM16 24 kHz mono (an answer longer than that resumes only within its end). */
const MAX_ITEM_BYTES = 3 * 60 * 48_000;

/** Agent audio a page may still have to play: the rest of an item from a byte offset, and the items after it. */
export interface AudioPart {
  itemId: string;
  /** Where `audio` starts in the item (bytes; PCM16, so even). */
  offset: number;
  audio: Buffer;
}

/**
 * The agent's most recent audio items, kept so a page whose socket dropped while it played (or that was reloaded)
 * gets the rest instead of silence. An interrupted item is dropped: its unheard rest must not come back.
 */
export class AudioTail {
  readonly #items = new Map<string, Buffer[]>();
  readonly #sizes = new Map<string, number>();

  push(itemId: string, audio: Buffer): void {
    let chunks = this.#items.get(itemId);
    if (!chunks) {
      chunks = [];
      this.#items.set(itemId, chunks);
      this.#sizes.set(itemId, 0);
      for (const old of this.#items.keys()) {
        if (this.#items.size <= KEEP_ITEMS) break;
        this.drop(old);
      }
    }
    const size = this.#sizes.get(itemId) ?? 0;
    if (size + audio.length > MAX_ITEM_BYTES) return;
    chunks.push(audio);
    this.#sizes.set(itemId, size + audio.length);
  }

  /** Bytes of `itemId` kept (0 when unknown). */
  size(itemId: string): number {
    return this.#sizes.get(itemId) ?? 0;
  }

  /** The newest item, if any. */
  get latest(): string | undefined {
    return [...this.#items.keys()].at(-1);
  }

  /** The rest of `itemId` from `offset` bytes, then every item after it; nothing for an item not kept. */
  from(itemId: string, offset: number): AudioPart[] {
    if (!this.#items.has(itemId)) return [];
    const parts: AudioPart[] = [];
    let after = false;
    for (const [id, chunks] of this.#items) {
      if (id === itemId) after = true;
      if (!after) continue;
      const start = id === itemId ? Math.max(0, offset - (offset % 2)) : 0;
      const audio = Buffer.concat(chunks).subarray(start);
      if (audio.length) parts.push({ itemId: id, offset: start, audio });
    }
    return parts;
  }

  drop(itemId: string): void {
    this.#items.delete(itemId);
    this.#sizes.delete(itemId);
  }

  clear(): void {
    this.#items.clear();
    this.#sizes.clear();
  }
}
