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

/**
 * The conversation, in server order: the single place its state lives. Fed by server events
 * (`conversation.item.added/done/truncated/deleted`, transcripts); read by `snapshot()` and `toReplayItems()`.
 */
export class ConversationRecord {
  readonly #items: ConversationEntry[] = [];
  readonly #byId = new Map<string, ConversationEntry>();
  readonly #ignored = new Set<string>();

  get size(): number {
    return this.#items.length;
  }

  get(id: string): ConversationEntry | undefined {
    return this.#byId.get(id);
  }

  /** Adds (or refreshes) an item, placed after `previousItemId` when the server says where it goes. */
  added(item: ConversationItem, previousItemId?: string | null): ConversationEntry | undefined {
    if (!item.id || this.#ignored.has(item.id)) return undefined;
    const known = this.#byId.get(item.id);
    if (known) return this.#merge(known, item);
    const entry = this.#merge({ id: item.id, type: item.type, text: "" }, item);
    const after = previousItemId ? this.#items.findIndex((e) => e.id === previousItemId) : -1;
    if (after >= 0 && after < this.#items.length - 1) this.#items.splice(after + 1, 0, entry);
    else this.#items.push(entry);
    this.#byId.set(entry.id, entry);
    return entry;
  }

  /** The item is complete (`conversation.item.done`): its final status and content. */
  done(item: ConversationItem, previousItemId?: string | null): ConversationEntry | undefined {
    return this.added(item, previousItemId);
  }

  appendText(id: string, delta: string): void {
    const entry = this.#byId.get(id);
    if (entry) entry.text += delta;
  }

  setText(id: string, text: string): void {
    const entry = this.#byId.get(id);
    if (entry) entry.text = text;
  }

  addAudio(id: string, ms: number): void {
    const entry = this.#byId.get(id);
    if (entry) entry.audioMs = (entry.audioMs ?? 0) + ms;
  }

  truncated(id: string, audioEndMs: number): void {
    const entry = this.#byId.get(id);
    if (entry) entry.truncatedAtMs = audioEndMs;
  }

  deleted(id: string): void {
    if (!this.#byId.delete(id)) return;
    const at = this.#items.findIndex((e) => e.id === id);
    if (at >= 0) this.#items.splice(at, 1);
  }

  snapshot(): ConversationSnapshot {
    return { items: this.#items.map((e) => ({ ...e })) };
  }

  /**
   * The conversation as items a new session can be given with `conversation.item.create`, in order, each with the
   * id of the entry it restores (so the new session's events about it are recognised, see `ignore`). Audio is
   * replayed as its transcript (the audio itself is not kept); a truncated agent turn keeps its full transcript,
   * since the API reports no text position for the cut. Function calls and their outputs cannot be re-created in a
   * new session (the API refuses a call item it did not make), so they are summarised as system text.
   */
  toReplayItems(): ConversationItem[] {
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
    for (const e of this.#items) {
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
    return this.#items.find((e) => e.type === "function_call" && e.callId === callId)?.name;
  }

  /**
   * Items the server will echo back that are already recorded (a replay after a restore): their events leave the
   * record as it is and emit nothing.
   */
  ignore(ids: Iterable<string>): void {
    for (const id of ids) this.#ignored.add(id);
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
}
