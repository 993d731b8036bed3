import type { ConversationItem } from "openai/resources/realtime/realtime";

/**
 * One item of the conversation plus what only the simulator knows about it: `heard` is the text the model
 * "hears" (typed text, or the transcript carried by speech audio); `audioMs` the duration of its audio.
 */
export interface StoredItem {
  item: ConversationItem & { id: string };
  heard?: string | undefined;
  audioMs?: number | undefined;
  /** The response that produced it (assistant messages, function and MCP calls). */
  responseId?: string | undefined;
  /** Set by conversation.item.truncate: the audio and transcript were cut to what the user heard. */
  truncated?: boolean;
}

/** The default conversation: an ordered list of items, addressable by id. */
export class Conversation {
  private readonly items: StoredItem[] = [];
  private readonly byId = new Map<string, StoredItem>();

  /**
   * Inserts after `previousItemId` (`undefined` appends, `"root"` puts it first). Returns the id of the item now
   * before it (null when first), or `undefined` when `previousItemId` does not exist.
   */
  insert(
    stored: StoredItem,
    previousItemId?: string | null,
  ): { previousItemId: string | null } | undefined {
    let index = this.items.length;
    if (previousItemId === "root" || previousItemId === null) index = 0;
    else if (previousItemId !== undefined) {
      const at = this.items.findIndex((s) => s.item.id === previousItemId);
      if (at < 0) return undefined;
      index = at + 1;
    }
    this.items.splice(index, 0, stored);
    this.byId.set(stored.item.id, stored);
    return { previousItemId: index > 0 ? (this.items[index - 1] as StoredItem).item.id : null };
  }

  get(id: string): StoredItem | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  delete(id: string): boolean {
    const stored = this.byId.get(id);
    if (!stored) return false;
    this.byId.delete(id);
    this.items.splice(this.items.indexOf(stored), 1);
    return true;
  }

  lastId(): string | null {
    return this.items.at(-1)?.item.id ?? null;
  }

  list(): readonly StoredItem[] {
    return this.items;
  }
}
