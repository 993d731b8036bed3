import type { EasyInputMessage } from "openai/resources/responses/responses";
import type { ConversationEntry } from "../runtime/conversation.ts";
import type { DelegateHistory } from "../schema/delegate.ts";

/** Turns the text model sees when the delegate does not say (`history:`). */
export const DEFAULT_HISTORY_TURNS = 6;
/** Characters of one turn kept in a `history: summary` line. */
const SUMMARY_CHARS = 160;

/** A user message and what the agent said after it, up to the next user message. */
interface Turn {
  user: string;
  agent: string[];
}

/** The conversation's messages as turns, oldest first (tool items are the voice model's business, not shown). */
function turnsOf(entries: readonly ConversationEntry[]): Turn[] {
  const turns: Turn[] = [];
  for (const entry of entries) {
    if (entry.type !== "message" || !entry.text.trim()) continue;
    if (entry.role === "user") turns.push({ user: entry.text.trim(), agent: [] });
    else if (entry.role === "assistant") {
      // What the agent said before the user spoke (a greeting) is a turn with no user line.
      if (!turns.length) turns.push({ user: "", agent: [] });
      turns.at(-1)?.agent.push(entry.text.trim());
    }
  }
  return turns;
}

function messages(turn: Turn): EasyInputMessage[] {
  const out: EasyInputMessage[] = [];
  if (turn.user) out.push({ role: "user", content: turn.user });
  if (turn.agent.length) out.push({ role: "assistant", content: turn.agent.join(" ") });
  return out;
}

function clip(text: string): string {
  return text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS)}…` : text;
}

/**
 * The part of the voice conversation a delegation hands to the text model, as Responses input messages:
 * the last N turns, all, none, or a summary (one condensed line per earlier turn, the last two turns verbatim).
 * The summary is built here, without another model call, so it costs nothing and is the same every time.
 *
 * @example
 * historyInput(session.conversation.snapshot().items, 4) // [{ role: "user", content: "…" }, …]
 */
export function historyInput(
  entries: readonly ConversationEntry[],
  history: DelegateHistory = DEFAULT_HISTORY_TURNS,
): EasyInputMessage[] {
  if (history === "none" || history === 0) return [];
  const turns = turnsOf(entries);
  if (history === "all") return turns.flatMap(messages);
  if (typeof history === "number") return turns.slice(-history).flatMap(messages);
  const recent = turns.slice(-2);
  const earlier = turns.slice(0, -2);
  const out: EasyInputMessage[] = [];
  if (earlier.length) {
    const lines = earlier.map(
      (t) =>
        `- caller: ${clip(t.user) || "(nothing)"} / agent: ${clip(t.agent.join(" ")) || "(nothing)"}`,
    );
    out.push({
      role: "developer",
      content: `Earlier in the call (condensed, oldest first):\n${lines.join("\n")}`,
    });
  }
  return [...out, ...recent.flatMap(messages)];
}
