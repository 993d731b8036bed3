import type { ConversationItemTruncateEvent } from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { AudioClock } from "./audio-clock.ts";
import type { ConversationRecord } from "./conversation.ts";
import type { ResponseQueue } from "./response-queue.ts";

export interface InterruptionDeps {
  audio: AudioClock;
  responses: ResponseQueue;
  conversation: ConversationRecord;
  clock: Clock;
  send(event: ConversationItemTruncateEvent): void;
  /** The app's playback position of an item, when it reports one. */
  playedMs: ((itemId: string) => number | undefined) | undefined;
  /** Called once per interruption, after the decision (the scheduler's onInterrupt, the `interrupted` event). */
  interrupted(e: {
    itemId: string | undefined;
    playedMs: number | undefined;
    source: "user" | "server";
  }): void;
}

/**
 * Barge-in bookkeeping: which agent item was playing, how much of it was heard, and the
 * `conversation.item.truncate` that makes the model forget the rest. While the item's response is still being
 * cancelled the truncate waits for its `response.done` (the item is then complete and its audio length final);
 * the response queue cannot start another response before that, so the truncate always lands first.
 */
export class Interruptions {
  readonly #d: InterruptionDeps;
  #deferred: { responseId: string; event: ConversationItemTruncateEvent } | undefined;
  /** Responses interrupted but not yet done: their trailing audio is not played (not emitted). */
  #muted: Set<string> | undefined;

  constructor(deps: InterruptionDeps) {
    this.#d = deps;
  }

  /** The user interrupted (`interrupt()`), or the server's VAD heard speech (`source: "server"`). */
  interrupt(source: "user" | "server", reported: number | undefined): void {
    const d = this.#d;
    const current = d.audio.current(d.clock.now());
    const talking = d.responses.live.length > 0;
    const playing = current !== undefined && current.playedMs < current.deliveredMs;
    if (source === "server" && !talking && !playing) return; // the user spoke into silence: no interruption
    for (const r of d.responses.live) this.#mutedOf().add(r.id);
    // The server's VAD cancels the conversation's response itself; a filler (out of band) is ours to stop.
    if (source === "server") d.responses.cancel((r) => r.outOfBand);
    let playedMs: number | undefined;
    if (current && d.conversation.get(current.itemId)) {
      const heard = reported ?? d.playedMs?.(current.itemId) ?? current.playedMs;
      const stillLive = d.responses.live.some((r) => r.id === current.responseId);
      // While the response is live, more of the item may exist than was delivered: clamp when it is done.
      playedMs = Math.max(0, Math.floor(stillLive ? heard : Math.min(heard, current.deliveredMs)));
      if (playedMs < current.deliveredMs || stillLive) {
        const event: ConversationItemTruncateEvent = {
          type: "conversation.item.truncate",
          item_id: current.itemId,
          content_index: current.contentIndex,
          audio_end_ms: playedMs,
        };
        if (stillLive) this.#deferred = { responseId: current.responseId, event };
        else d.send(event);
      }
    }
    d.audio.reset();
    d.interrupted({ itemId: current?.itemId, playedMs, source });
  }

  /** True for a response being cancelled after an interruption: its late audio chunks must not be played. */
  isMuted(responseId: string): boolean {
    return this.#muted?.has(responseId) === true;
  }

  /** A response is done: send the truncate that was waiting for it. Call before the queue dispatches the next. */
  responseDone(responseId: string | undefined): void {
    if (responseId) this.#muted?.delete(responseId);
    if (!this.#deferred || this.#deferred.responseId !== responseId) return;
    const { event } = this.#deferred;
    this.#deferred = undefined;
    // The item's audio is final now; what was heard can be no longer than what exists.
    const total = this.#d.conversation.get(event.item_id)?.audioMs;
    if (total !== undefined) event.audio_end_ms = Math.min(event.audio_end_ms, Math.floor(total));
    this.#d.send(event);
  }

  /** `#muted`, made on the first write (most sessions never write to it). */
  #mutedOf(): Set<string> {
    this.#muted ??= new Set();
    return this.#muted;
  }
}
