import type {
  ConversationItemCreateEvent,
  RealtimeClientEvent,
} from "openai/resources/realtime/realtime";
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
 */
export class Outbound {
  readonly #d: OutboundDeps;
  /** Calls made on a connection that is gone: their outputs become text. */
  readonly #orphaned = new Set<string>();
  #held: RealtimeClientEvent[] = [];

  constructor(deps: OutboundDeps) {
    this.#d = deps;
  }

  send = (event: RealtimeClientEvent): void => {
    if (this.#d.restoring()) {
      if (event.type === "input_audio_buffer.append") return;
      this.#held.push(event);
      return;
    }
    this.#d.send(this.#convert(event));
  };

  /** The calls of the old connection: from now on their outputs are said as text. */
  orphan(callIds: Iterable<string>): void {
    for (const id of callIds) this.#orphaned.add(id);
  }

  /** The connection is back: what waited goes out, in order. */
  flush(): void {
    const held = this.#held;
    this.#held = [];
    for (const event of held) this.#d.send(this.#convert(event));
  }

  /** Events that waited for the connection (for tests and leak checks). */
  get held(): number {
    return this.#held.length;
  }

  #convert(event: RealtimeClientEvent): RealtimeClientEvent {
    if (event.type !== "conversation.item.create" || event.item.type !== "function_call_output")
      return event;
    const callId = event.item.call_id;
    if (!this.#orphaned.has(callId)) return event;
    this.#orphaned.delete(callId);
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
}
