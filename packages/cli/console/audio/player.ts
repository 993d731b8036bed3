import { audioContext, SAMPLE_RATE } from "./context.ts";

interface Segment {
  start: number;
  duration: number;
  source: AudioBufferSourceNode;
}

/**
 * Plays the agent's audio chunks back to back and knows how much of the current item was heard: what the page reports
 * to Parley (`playback`) so a barge-in truncates the agent's item where the person stopped hearing it.
 */
export class Player {
  #itemId: string | undefined;
  #segments: Segment[] = [];
  #next = 0;
  /** Milliseconds of the current item played before its current segments (segments are pruned as they end). */
  #doneMs = 0;
  #volume: GainNode | undefined;
  /** Bytes of the current item received (what a reconnecting page tells Parley it has). */
  #received = 0;

  /** Queues one chunk of PCM16 for `itemId` (a new item starts its own count). */
  play(itemId: string, pcm: ArrayBuffer): void {
    const ctx = audioContext();
    if (itemId !== this.#itemId) {
      this.#itemId = itemId;
      this.#segments = [];
      this.#doneMs = 0;
      this.#received = 0;
    }
    this.#received += pcm.byteLength;
    const samples = new Int16Array(pcm);
    if (samples.length === 0) return;
    const buffer = ctx.createBuffer(1, samples.length, SAMPLE_RATE);
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < samples.length; i++) channel[i] = (samples[i] as number) / 0x8000;
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    if (!this.#volume) {
      this.#volume = ctx.createGain();
      this.#volume.connect(ctx.destination);
    }
    source.connect(this.#volume);
    const start = Math.max(this.#next, ctx.currentTime + 0.02);
    source.start(start);
    this.#next = start + buffer.duration;
    this.#segments.push({ start, duration: buffer.duration, source });
  }

  /**
   * Audio of `itemId` resumes at `offsetBytes` (after a dropped connection or a reload): for an item this page was
   * not playing, its position counts from there.
   */
  resume(itemId: string, offsetBytes: number): void {
    if (itemId === this.#itemId) return;
    this.#itemId = itemId;
    this.#segments = [];
    this.#doneMs = offsetBytes / 48;
    this.#received = offsetBytes;
  }

  /** The current item and the bytes of it received so far. */
  get received(): { itemId: string; bytes: number } | undefined {
    return this.#itemId ? { itemId: this.#itemId, bytes: this.#received } : undefined;
  }

  /** True while queued audio is still to be heard. */
  get playing(): boolean {
    return this.#segments.length > 0 && this.#next > audioContext().currentTime;
  }

  /** The current item and how much of it was heard (ms), or undefined when nothing played yet. */
  position(): { itemId: string; playedMs: number } | undefined {
    if (!this.#itemId) return undefined;
    const now = audioContext().currentTime;
    let ms = this.#doneMs;
    const kept: Segment[] = [];
    for (const s of this.#segments) {
      const heard = Math.min(Math.max(now - s.start, 0), s.duration);
      if (heard >= s.duration) this.#doneMs += s.duration * 1000;
      else kept.push(s);
      ms += heard * 1000;
    }
    this.#segments = kept;
    return { itemId: this.#itemId, playedMs: Math.floor(ms) };
  }

  /** Stops at once (an interruption): the rest of the item is not heard. Returns what was. */
  stop(): { itemId: string; playedMs: number } | undefined {
    const heard = this.position();
    for (const s of this.#segments) {
      try {
        s.source.stop();
      } catch {
        // not started yet: nothing to stop
      }
    }
    this.#segments = [];
    this.#next = 0;
    return heard;
  }
}
