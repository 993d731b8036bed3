import { randomUUID } from "node:crypto";
import type {
  ConversationItemCreateEvent,
  RealtimeClientEvent,
} from "openai/resources/realtime/realtime";
import { NONE } from "../../collections/lazy.ts";
import type { Logger } from "../../log/index.ts";

export interface OutboundDeps {
  /** The guarded send to the current connection. */
  send(event: RealtimeClientEvent): void;
  /** True while the connection is being restored: events wait. */
  restoring(): boolean;
  /** The tool a call id belongs to (for the text an orphaned output becomes). */
  toolOf(callId: string): string | undefined;
  log: Logger;
}

/**
 * Client events on their way out across restores. While a connection is being restored they wait (microphone audio
 * excepted: it is about a moment that has passed, and it is dropped). A tool's output whose function call item
 * lived in a previous connection cannot be sent as a `function_call_output` (the new session has no such call and
 * refuses it): it goes as a system message saying what the tool returned, so the call still ends exactly once.
 *
 * A connection can die before the client hears of it: what was sent in that window never reached a server. Every
 * item created here carries its id (one is given when it has none), and stays "unconfirmed" until the server echoes
 * it (`conversation.item.added`) or refuses it (`error`): at a drop, the unconfirmed items are sent again after the
 * replay, so the user's words and a tool's output sent just before a drop are not lost (and never sent twice to one
 * server: only what no server confirmed goes again).
 */
export class Outbound {
  readonly #d: OutboundDeps;
  /** Calls made on a connection that is gone: their outputs become text. */
  #orphaned: Set<string> | undefined;
  /** What waits for the connection while it is restored (made on the first). */
  #held: RealtimeClientEvent[] | undefined;
  /** Items sent on the current connection that its server has not echoed yet, by item id, in send order. */
  #unconfirmed: Map<string, ConversationItemCreateEvent> | undefined;
  /** The random part of the ids this session gives (drawn once, with the first), followed by a count. */
  #idPrefix: string | undefined;
  #idSeq = 0;

  constructor(deps: OutboundDeps) {
    this.#d = deps;
  }

  send = (event: RealtimeClientEvent): void => {
    if (this.#d.restoring()) {
      if (event.type === "input_audio_buffer.append") return;
      this.#held ??= [];
      this.#held.push(event);
      return;
    }
    this.#out(event);
  };

  /** The server echoed an item (`conversation.item.added`/`created`): it reached the server, it is never sent again. */
  confirmed(itemId: string): void {
    this.#unconfirmed?.delete(itemId);
  }

  /** The server refused a client event (`error` naming its `event_id`): an item it carried is not sent again. */
  refused(eventId: string): void {
    for (const [id, event] of this.#unconfirmed ?? NONE)
      if (event.event_id === eventId) this.#unconfirmed?.delete(id);
  }

  /**
   * The connection dropped: items it never confirmed are sent again once the connection is back (after the replay,
   * before what waited during the restore). Returns how many.
   */
  dropped(): number {
    const again = [...(this.#unconfirmed?.values() ?? NONE)];
    this.#unconfirmed?.clear();
    if (again.length > 0) {
      this.#held ??= [];
      this.#held.unshift(...again);
    }
    return again.length;
  }

  /** Items sent and not yet confirmed by the server (for tests and leak checks). */
  get unconfirmed(): number {
    return this.#unconfirmed?.size ?? 0;
  }

  /** The calls of the old connection: from now on their outputs are said as text. */
  orphan(callIds: Iterable<string>): void {
    for (const id of callIds) this.#orphanedOf().add(id);
  }

  /** The connection is back: what waited goes out, in order. */
  flush(): void {
    const held = this.#held;
    this.#held = undefined;
    for (const event of held ?? NONE) this.#out(event);
  }

  #out(event: RealtimeClientEvent): void {
    let out = this.#convert(event);
    if (out.type === "conversation.item.create") {
      // Our own event id, so a refusal (`error`) can be matched to the item it was about, and an item id so the
      // server's echo can confirm it. One copy of the caller's event (and of its item when it gets an id): the
      // caller's objects are never written to.
      const seq = this.#nextSeq();
      const item = out.item.id
        ? out.item
        : { ...out.item, id: `parley_item_${this.#idPrefix}${seq}` };
      out = { ...out, item, event_id: out.event_id || `parley_item_create_${seq}` };
      this.#unconfirmedOf().set(item.id as string, out);
    }
    this.#d.send(out);
  }

  /** The next id suffix: unique within the session (across restores too: this object outlives connections). */
  #nextSeq(): string {
    // 12 hex characters + a base-36 count: "parley_item_" + both stays within the API's 32 characters for an id.
    this.#idPrefix ??= randomUUID().replaceAll("-", "").slice(0, 12);
    return (++this.#idSeq).toString(36);
  }

  /** Events that waited for the connection (for tests and leak checks). */
  get held(): number {
    return this.#held?.length ?? 0;
  }

  #convert(event: RealtimeClientEvent): RealtimeClientEvent {
    if (event.type !== "conversation.item.create") return event;
    if (event.item.type !== "function_call_output") return event;
    const callId = event.item.call_id;
    if (!this.#orphaned?.has(callId)) return event;
    this.#orphaned?.delete(callId);
    const tool = this.#d.toolOf(callId) ?? "a tool";
    this.#d.log.info("delivering the output of a call from before the restore as text", {
      callId,
      tool,
    });
    const text: ConversationItemCreateEvent = {
      type: "conversation.item.create",
      item: {
        type: "message",
        role: "system",
        content: [
          {
            type: "input_text",
            text: `[tool result] ${tool} (asked for before the connection was restored) returned: ${event.item.output}`,
          },
        ],
      },
    };
    return text;
  }

  /** `#orphaned`, made on the first write (most sessions never write to it). */
  #orphanedOf(): Set<string> {
    this.#orphaned ??= new Set();
    return this.#orphaned;
  }

  /** `#unconfirmed`, made on the first write (most sessions never write to it). */
  #unconfirmedOf(): Map<string, ConversationItemCreateEvent> {
    this.#unconfirmed ??= new Map();
    return this.#unconfirmed;
  }
}
