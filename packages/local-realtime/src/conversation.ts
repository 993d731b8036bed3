import type { ConversationItem } from "openai/resources/realtime/realtime";
import { textOf } from "./model-view.ts";
import type { ModelItem } from "./models/types.ts";
import { addItemTokens, type TokenCounts, zeroCounts } from "./tokens.ts";

/**
 * One item of the conversation plus what only the simulator knows about it: `heard` is the text the model
 * "hears" (typed text, or the transcript carried by speech audio); `audioMs` the duration of its audio.
 * Read-only once stored: change it with `Conversation.update`, which keeps the model's view and the token
 * totals in step.
 */
export interface StoredItem {
  readonly item: ConversationItem & { id: string };
  readonly heard?: string | undefined;
  readonly audioMs?: number | undefined;
  /** The response that produced it (assistant messages, function and MCP calls). */
  readonly responseId?: string | undefined;
  /** Set by conversation.item.truncate: the audio and transcript were cut to what the user heard. */
  readonly truncated?: boolean;
}

type Changes = { -readonly [K in keyof Omit<StoredItem, "responseId">]?: StoredItem[K] };

/** What the conversation derives from one item: the model's view of it and its input tokens. */
interface Derived {
  view: ModelItem;
  tokens: TokenCounts;
}

/**
 * The default conversation: an ordered list of items, addressable by id. Every response reads the whole
 * conversation (the model's view, the input token count), so both are kept up to date per item as it is added,
 * changed or deleted: a response costs the same at turn 1,000 as at turn 50. Items are nearly always added and
 * changed at the end, so positions are searched from the end.
 */
export class Conversation {
  private readonly items: StoredItem[] = [];
  private readonly views: ModelItem[] = [];
  private readonly byId = new Map<string, StoredItem>();
  private readonly derived = new WeakMap<StoredItem, Derived>();
  private readonly total = zeroCounts();
  /** call_id → how many function_call items carry it (a function_call_output must name one). */
  private readonly callIds = new Map<string, number>();
  private approvalResponses = 0;

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
      const previous = this.byId.get(previousItemId);
      if (!previous) return undefined;
      index = this.indexOf(previous) + 1;
    }
    const derived = derive(stored);
    if (index === this.items.length) {
      this.items.push(stored);
      this.views.push(derived.view);
    } else {
      this.items.splice(index, 0, stored);
      this.views.splice(index, 0, derived.view);
    }
    this.byId.set(stored.item.id, stored);
    this.derived.set(stored, derived);
    this.count(stored, derived, 1);
    return { previousItemId: index > 0 ? (this.items[index - 1] as StoredItem).item.id : null };
  }

  /** Changes a stored item in place (the same object stays in the conversation). */
  update(stored: StoredItem, changes: Changes): void {
    const old = this.derived.get(stored);
    if (old) this.count(stored, old, -1);
    Object.assign(stored, changes);
    if (!old) return;
    const derived = derive(stored);
    this.derived.set(stored, derived);
    this.count(stored, derived, 1);
    this.views[this.indexOf(stored)] = derived.view;
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
    const at = this.indexOf(stored);
    this.byId.delete(id);
    this.items.splice(at, 1);
    this.views.splice(at, 1);
    const derived = this.derived.get(stored);
    if (derived) this.count(stored, derived, -1);
    this.derived.delete(stored);
    return true;
  }

  lastId(): string | null {
    return this.items.at(-1)?.item.id ?? null;
  }

  /** The id of the item before `id` (null when it is first or not in the conversation). */
  previousId(id: string): string | null {
    const stored = this.byId.get(id);
    const at = stored ? this.indexOf(stored) : -1;
    return at > 0 ? (this.items[at - 1] as StoredItem).item.id : null;
  }

  list(): readonly StoredItem[] {
    return this.items;
  }

  /** The model's view of every item, oldest first (live: copy it to keep a snapshot). */
  modelItems(): readonly ModelItem[] {
    return this.views;
  }

  /** The input tokens of the whole conversation as a response's context. */
  tokens(): Readonly<TokenCounts> {
    return this.total;
  }

  /** Whether a function_call with this call_id is in the conversation. */
  hasCall(callId: string): boolean {
    return this.callIds.has(callId);
  }

  /** Whether any mcp_approval_response is in the conversation (a response then looks for approved calls). */
  hasApprovalResponses(): boolean {
    return this.approvalResponses > 0;
  }

  private indexOf(stored: StoredItem): number {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i] === stored) return i;
    return -1;
  }

  private count(stored: StoredItem, derived: Derived, sign: 1 | -1): void {
    this.total.text += sign * derived.tokens.text;
    this.total.audio += sign * derived.tokens.audio;
    this.total.image += sign * derived.tokens.image;
    const item = stored.item;
    if (item.type === "mcp_approval_response") this.approvalResponses += sign;
    if (item.type === "function_call" && item.call_id !== undefined) {
      const n = (this.callIds.get(item.call_id) ?? 0) + sign;
      if (n > 0) this.callIds.set(item.call_id, n);
      else this.callIds.delete(item.call_id);
    }
  }
}

function derive(stored: StoredItem): Derived {
  const tokens = zeroCounts();
  addItemTokens(tokens, stored.item, stored.audioMs ?? 0);
  return {
    view: { id: stored.item.id, item: stored.item, text: stored.heard ?? textOf(stored.item) },
    tokens,
  };
}
