// The Say exactly convention is core's (one definition; a dependency-free file, bundled here).
import { lineToSay } from "../../../core/src/contracts/fillers.ts";
import { callFor, chooseCalls } from "./rules/choose.ts";
import { asksForGreeting, greetingFrom, personaName } from "./rules/persona.ts";
import { speakAboutOutput } from "./rules/speak-output.ts";
import type { ModelAction, ModelContext, ModelItem, ModelTool, RealtimeModel } from "./types.ts";

/** What the rules model says while a tool runs, when a filler gives no exact line. */
export const GENERIC_FILLER = "One moment, please.";
/** What it says for a generated filler about a pending confirmation (an approval the agent is waiting for). */
export const CONFIRMATION_FILLER = "I'm just waiting for a confirmation on that.";

/**
 * The default model: a deterministic simulator, not an LLM. Per response it
 * 1. says a `Say exactly: "…"` line from the response's instructions verbatim (canned fillers, scripted greetings);
 * 2. answers other out-of-band responses with a neutral filler that states no result (one about waiting for a
 *    confirmation when the instructions speak of one);
 * 3. greets when asked to (a quoted greeting in the session instructions, or one derived from "You are …");
 * 4. after a tool output (function_call_output, an MCP call), speaks briefly about it, quoting its fields; after a
 *    delegated answer delivered as a system message ("Answer from <tool> …" then the answer on the next lines),
 *    speaks about the answer the same way;
 * 5. on a user turn: `/call tool_name {json}` calls that tool; an utterance that asks for a tool (its examples, its
 *    name) calls it with arguments read from what was said by the tool's JSON Schema (examples fill only what was
 *    not said), two tools asked for at once are called in parallel; otherwise a brief conversational reply — never
 *    an invented tool result.
 *
 * @example
 * await startLocalRealtime({ model: rulesModel() });
 */
export function rulesModel(): RealtimeModel {
  return { name: "rules", respond };
}

function respond(ctx: ModelContext): ModelAction[] {
  const exact = lineToSay(ctx.responseInstructions);
  if (exact !== undefined) return [{ say: exact }];
  if (ctx.outOfBand && !asksForGreeting(ctx.responseInstructions))
    return [
      {
        say: /\bconfirm/i.test(ctx.responseInstructions ?? "")
          ? CONFIRMATION_FILLER
          : GENERIC_FILLER,
      },
    ];
  if (asksForGreeting(ctx.responseInstructions) && !ctx.continuation)
    return [{ say: greetingFrom(ctx.sessionInstructions) }];
  const last = lastTurnItem(ctx.items);
  if (!last) return [{ say: greetingFrom(ctx.sessionInstructions) }];
  const item = last.item;
  if (item.type === "function_call_output") return [{ say: speakAboutOutput(item.output) }];
  if (item.type === "message" && item.role === "system")
    return [{ say: delegatedAnswer(last.text) }];
  if (item.type === "mcp_call")
    return [
      {
        say: item.error
          ? `Sorry, that didn't work: ${errorText(item.error)}.`
          : speakAboutOutput(item.output ?? ""),
      },
    ];
  if (item.type === "mcp_approval_response")
    return item.approve ? [] : [{ say: "Okay, I won't go ahead with that." }];
  if (item.type === "mcp_approval_request") return [];
  return answerUser(last.text, ctx);
}

/** Delegated answers arrive as system messages with these first words (core's delivery text). */
const DELEGATED = /^(Answer|No answer) from [\w-]+/;

function delegatedAnswer(text: string): string {
  if (text.startsWith("No answer"))
    return "Sorry, I couldn't get an answer to that. Can I help another way?";
  return speakAboutOutput(text.slice(text.indexOf("\n") + 1));
}

/** The item the reply is about: the latest user message, tool result or delegated answer. */
function lastTurnItem(items: readonly ModelItem[]): ModelItem | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i] as ModelItem;
    const t = it.item.type;
    if (t === "message" && it.item.role === "user") return it;
    if (t === "message" && it.item.role === "system" && DELEGATED.test(it.text)) return it;
    if (
      t === "function_call_output" ||
      t === "mcp_approval_response" ||
      t === "mcp_approval_request"
    )
      return it;
    if (t === "mcp_call" && (it.item.output != null || it.item.error != null)) return it;
  }
  return undefined;
}

function answerUser(text: string, ctx: ModelContext): ModelAction[] {
  const utterance = text.trim();
  if (!utterance) return [{ say: "Sorry, I didn't catch that. Are you still there?" }];
  const callable = toolsAllowed(ctx);
  const command = /^\/call\s+([\w.:-]+)\s*([\s\S]*)$/.exec(utterance);
  if (command) {
    const name = command[1] as string;
    const raw = (command[2] as string).trim() || "{}";
    const tool = callable.find((t) => t.name === name || `${t.serverLabel}.${t.name}` === name);
    if (!tool) return [{ say: `I don't have a tool called ${name}.` }];
    try {
      return [{ call: { name: tool.name, arguments: JSON.parse(raw) as Record<string, unknown> } }];
    } catch {
      return [{ say: `Those arguments for ${name} are not valid JSON.` }];
    }
  }
  const calls = chooseCalls(utterance, callable, ctx.today, ctx.parallelToolCalls);
  if (calls.length)
    return calls.map((c) => ({ call: { name: c.tool.name, arguments: c.arguments } }));
  const forced = forcedTool(ctx, callable);
  if (forced)
    return [{ call: { name: forced.name, arguments: callFor(utterance, forced, ctx.today) } }];
  return [{ say: conversational(utterance, ctx.sessionInstructions) }];
}

function toolsAllowed(ctx: ModelContext): readonly ModelTool[] {
  const choice = ctx.toolChoice;
  if (choice === "none") return [];
  if (choice && typeof choice === "object") {
    const c = choice as { type?: string; name?: string; server_label?: string };
    if (c.type === "function")
      return ctx.tools.filter((t) => t.kind === "function" && t.name === c.name);
    if (c.type === "mcp")
      return ctx.tools.filter(
        (t) =>
          t.kind === "mcp" && t.serverLabel === c.server_label && (!c.name || t.name === c.name),
      );
  }
  return ctx.tools;
}

/** `tool_choice: "required"` (or a named tool) must produce a call even without a matching example. */
function forcedTool(ctx: ModelContext, callable: readonly ModelTool[]): ModelTool | undefined {
  const choice = ctx.toolChoice;
  if (choice === "required" || (choice && typeof choice === "object")) return callable[0];
  return undefined;
}

/** Characters of the user's words the rules model repeats back at most. */
const MAX_ECHO = 200;

function conversational(utterance: string, instructions: string): string {
  const lower = utterance.toLowerCase();
  const name = personaName(instructions);
  if (/^(hi|hello|hey|good (morning|afternoon|evening))\b/.test(lower))
    return `Hello${name ? `, this is ${name}` : ""}! How can I help you today?`;
  if (/\b(thank you|thanks)\b/.test(lower))
    return "You're welcome! Is there anything else I can help with?";
  if (/\b(bye|goodbye|that's all|that is all)\b/.test(lower))
    return "Goodbye, and have a great day!";
  if (/\bwho are you\b|\byour name\b/.test(lower))
    return name ? `I'm ${name}.` : "I'm your assistant.";
  // A model's answer is short whatever the user said: reading a megabyte back would be hours of audio.
  const heard = utterance.length > MAX_ECHO ? `${utterance.slice(0, MAX_ECHO)}…` : utterance;
  return `I understand: ${heard.replace(/[.!?]+$/, "")}. How can I help with that?`;
}

function errorText(error: unknown): string {
  if (error && typeof error === "object" && "message" in error)
    return String((error as { message: unknown }).message);
  return String(error);
}
