import { randomUUID } from "node:crypto";
import type { ConversationItem } from "openai/resources/realtime/realtime";

/** One item of the conversation as the runtime knows it: enough to show, audit and replay it. Audio bytes are not kept. */
export interface ConversationEntry {
  id: string;
  type: ConversationItem["type"];
  role?: "user" | "assistant" | "system";
  status?: "completed" | "incomplete" | "in_progress";
  /** What was typed or said: input text / user transcript, or the agent's text / audio transcript. */
  text: string;
  /** True when a user message carried an image. */
  image?: boolean;
  /** Agent audio received for this item, in milliseconds. */
  audioMs?: number;
  /** Set when the item was truncated at an interruption: the audio the user actually heard. */
  truncatedAtMs?: number;
  /** function_call / function_call_output / mcp items. */
  callId?: string;
  name?: string;
  arguments?: string;
  output?: string;
  serverLabel?: string;
}

/** A copy of the conversation at one moment (what `closed` carries, and what a reconnect will replay). */
export interface ConversationSnapshot {
  items: ConversationEntry[];
}

/** A place in the conversation's order: a doubly linked list, so inserting after an item and deleting are O(1). */
interface Link {
  entry: ConversationEntry;
  prev: Link | undefined;
  next: Link | undefined;
}

/**
 * The conversation, in server order: the single place its state lives. Fed by server events
 * (`conversation.item.added/done/truncated/deleted`, transcripts); read by `snapshot()` and `toReplayItems()`.
 * Every per-event operation is O(1) (a map lookup and a list splice), so turn 1,000 costs what turn 1 did.
 */
export class ConversationRecord {
  #byId: Map<string, Link> | undefined;
  #first: Link | undefined;
  #last: Link | undefined;
  #ignored: Set<string> | undefined;

  get size(): number {
    return this.#byId?.size ?? 0;
  }

  get(id: string): ConversationEntry | undefined {
    return this.#byId?.get(id)?.entry;
  }

  /** Adds (or refreshes) an item, placed after `previousItemId` when the server says where it goes. */
  added(item: ConversationItem, previousItemId?: string | null): ConversationEntry | undefined {
    if (!item.id || this.#ignored?.has(item.id)) return undefined;
    const known = this.#byId?.get(item.id);
    if (known) return this.#merge(known.entry, item);
    const entry = this.#merge({ id: item.id, type: item.type, text: "" }, item);
    const after = previousItemId ? this.#byId?.get(previousItemId) : undefined;
    const link: Link = { entry, prev: after ?? this.#last, next: after ? after.next : undefined };
    if (link.prev) link.prev.next = link;
    else this.#first = link;
    if (link.next) link.next.prev = link;
    else this.#last = link;
    this.#byIdOf().set(entry.id, link);
    return entry;
  }

  /** The item is complete (`conversation.item.done`): its final status and content. */
  done(item: ConversationItem, previousItemId?: string | null): ConversationEntry | undefined {
    return this.added(item, previousItemId);
  }

  appendText(id: string, delta: string): void {
    const entry = this.get(id);
    if (entry) entry.text += delta;
  }

  setText(id: string, text: string): void {
    const entry = this.get(id);
    if (entry) entry.text = text;
  }

  addAudio(id: string, ms: number): void {
    const entry = this.get(id);
    if (entry) entry.audioMs = (entry.audioMs ?? 0) + ms;
  }

  truncated(id: string, audioEndMs: number): void {
    const entry = this.get(id);
    if (entry) entry.truncatedAtMs = audioEndMs;
  }

  deleted(id: string): void {
    const link = this.#byId?.get(id);
    if (!link) return;
    this.#byId?.delete(id);
    if (link.prev) link.prev.next = link.next;
    else this.#first = link.next;
    if (link.next) link.next.prev = link.prev;
    else this.#last = link.prev;
  }

  *#entries(): Generator<ConversationEntry> {
    for (let link = this.#first; link; link = link.next) yield link.entry;
  }

  snapshot(): ConversationSnapshot {
    const items: ConversationEntry[] = [];
    for (const e of this.#entries()) items.push({ ...e });
    return { items };
  }

  /**
   * The conversation as items a new session can be given with `conversation.item.create`, in order, each with the
   * id of the entry it restores (so the new session's events about it are recognised, see `ignore`). Audio is
   * replayed as its transcript (the audio itself is not kept); a truncated agent turn keeps its full transcript,
   * since the API reports no text position for the cut. Function calls and their outputs cannot be re-created in a
   * new session (the API refuses a call item it did not make), so they are summarised as system text.
   */
  toReplayItems(maxItems = Number.POSITIVE_INFINITY): ConversationItem[] {
    const out = this.#replayItems();
    if (out.length <= maxItems) return out;
    // A very long conversation: the most recent items, after one note saying how much came before.
    const kept = out.slice(out.length - Math.max(0, maxItems));
    const dropped = out.length - kept.length;
    return [
      {
        id: `parley_item_${randomUUID().replaceAll("-", "").slice(0, 20)}`,
        type: "message",
        role: "system",
        content: [
          {
            type: "input_text",
            text: `[earlier] The conversation began ${dropped} items before what follows; those are not shown.`,
          },
        ],
      },
      ...kept,
    ];
  }

  #replayItems(): ConversationItem[] {
    const out: ConversationItem[] = [];
    const names = new Map<string, string>();
    const text = (
      id: string,
      role: "user" | "assistant" | "system",
      t: string,
    ): ConversationItem =>
      role === "assistant"
        ? { id, type: "message", role, content: [{ type: "output_text", text: t }] }
        : { id, type: "message", role, content: [{ type: "input_text", text: t }] };
    for (const e of this.#entries()) {
      if (e.type === "message" && e.role && e.text) out.push(text(e.id, e.role, e.text));
      else if (e.type === "function_call" && e.callId && e.name) {
        names.set(e.callId, e.name);
        out.push(
          text(
            e.id,
            "system",
            `[earlier] The assistant called the tool ${e.name} with ${e.arguments || "{}"}.`,
          ),
        );
      } else if (e.type === "function_call_output" && e.callId) {
        const name = names.get(e.callId) ?? "a tool";
        out.push(text(e.id, "system", `[earlier] ${name} returned: ${e.output ?? ""}`));
      }
    }
    return out;
  }

  /** The tool a call id belongs to, when its call item is in the record. */
  toolOf(callId: string): string | undefined {
    // Called once per restore, so a walk is fine here.
    for (const e of this.#entries())
      if (e.type === "function_call" && e.callId === callId) return e.name;
    return undefined;
  }

  /**
   * Items the server will echo back that are already recorded (a replay after a restore): their events leave the
   * record as it is and emit nothing.
   */
  ignore(ids: Iterable<string>): void {
    for (const id of ids) this.#ignoredOf().add(id);
  }

  #merge(entry: ConversationEntry, item: ConversationItem): ConversationEntry {
    if ("status" in item && item.status) entry.status = item.status;
    switch (item.type) {
      case "message": {
        entry.role = item.role;
        let text = "";
        for (const part of item.content) {
          if (part.type === "input_image") entry.image = true;
          const t =
            "text" in part && part.text
              ? part.text
              : "transcript" in part && part.transcript
                ? part.transcript
                : "";
          text += t;
        }
        // Transcripts often arrive by delta after the item; the item's own content wins only when it has text.
        if (text) entry.text = text;
        break;
      }
      case "function_call":
        entry.callId = item.call_id;
        entry.name = item.name;
        entry.arguments = item.arguments;
        break;
      case "function_call_output":
        entry.callId = item.call_id;
        entry.output = item.output;
        break;
      case "mcp_call":
      case "mcp_approval_request":
        entry.name = item.name;
        entry.arguments = item.arguments;
        entry.serverLabel = item.server_label;
        if (item.type === "mcp_call" && item.output) entry.output = item.output;
        break;
      default:
        break;
    }
    return entry;
  }

  /** `#byId`, made on the first write (most sessions never write to it). */
  #byIdOf(): Map<string, Link> {
    this.#byId ??= new Map();
    return this.#byId;
  }

  /** `#ignored`, made on the first write (most sessions never write to it). */
  #ignoredOf(): Set<string> {
    this.#ignored ??= new Set();
    return this.#ignored;
  }
}
