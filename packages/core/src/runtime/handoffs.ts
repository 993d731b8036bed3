import type { RealtimeConversationItemFunctionCall } from "openai/resources/realtime/realtime";
import type { Clock } from "../clock/index.ts";
import type { CallLedger } from "../contracts/call-ledger.ts";
import { sayExactly } from "../contracts/fillers.ts";
import type { ResponseQueue } from "../contracts/scheduler-host.ts";
import type { LoadedAgent, LoadedHandoff } from "../load/index.ts";
import type { Logger } from "../log/index.ts";
import { redact } from "../log/redact.ts";
import type { CallState } from "../scheduler/call-state.ts";
import type { SchedulerEvent } from "../scheduler/events.ts";
import { SessionError } from "./errors.ts";

/** What the `handoff` session event carries. */
export interface HandoffEvent {
  /** The agent that handed off (its name). */
  from: string;
  /** The agent that now runs the session. */
  to: string;
  /** The `reason` argument the model gave, if any. */
  reason: string | undefined;
  /** The `transfer_to_<name>` call that asked for it. */
  callId: string;
  /** Set when the new agent's voice could not be applied (audio was already produced): the voice that stays. */
  voiceKept?: string;
}

export interface HandoffDeps {
  /** The agent the session runs now. */
  current(): LoadedAgent | undefined;
  /** Loads the target agent's file. */
  load(handoff: LoadedHandoff, from: LoadedAgent): Promise<LoadedAgent>;
  /**
   * Applies the agent to the live session (session.update, awaiting session.updated) and switches the tool handler;
   * resolves with the voice kept when the new one was refused.
   */
  switchTo(agent: LoadedAgent): Promise<string | undefined>;
  /** The greeting an agent says when it takes over (its `greeting`, rendered), if it has one. */
  greeting?(agent: LoadedAgent): string | undefined;
  /** Gives the handoff call its one output. */
  ledger: CallLedger;
  responses: ResponseQueue;
  clock: Clock;
  tool(event: SchedulerEvent): void;
  handedOff(event: HandoffEvent): void;
  failed(error: SessionError): void;
  log: Logger;
}

/**
 * Runs the model's `transfer_to_<name>` calls (compiled from the agent file's `handoffs`): loads the other agent,
 * switches the live session to it (instructions, tools, voice rules), and only then sends the call's one output and
 * asks for the answer, so the answer is spoken by the new agent. Handled by the runtime, before the tool handler,
 * so any handler (the default `AgentTools`, the CLI's) gets handoffs; the handler only has to `swap` tools.
 */
export class Handoffs {
  readonly #d: HandoffDeps;
  #switching: string | undefined;

  constructor(deps: HandoffDeps) {
    this.#d = deps;
  }

  /** A transfer is being carried out (the target loading, its session.update in flight). */
  get busy(): boolean {
    return this.#switching !== undefined;
  }

  /** The handoff a function call of the current agent asks for, if it is one. */
  match(name: string): LoadedHandoff | undefined {
    return this.#d.current()?.handoffs.find((h) => h.toolName === name);
  }

  /** Runs one handoff call; it always ends with exactly one `function_call_output` and one answer request. */
  handle(item: RealtimeConversationItemFunctionCall, handoff: LoadedHandoff): void {
    // #run reports its own failures; this only keeps an unexpected throw from becoming an unhandled rejection.
    this.#run(item, handoff).catch((error: unknown) =>
      this.#d.log.error("the handoff call could not be finished", { error }),
    );
  }

  async #run(item: RealtimeConversationItemFunctionCall, handoff: LoadedHandoff): Promise<void> {
    const d = this.#d;
    const callId = item.call_id ?? item.id ?? "";
    const from = d.current() as LoadedAgent; // match() found the handoff on it
    const args = parseArgs(item.arguments);
    const reason = typeof args.reason === "string" ? args.reason : undefined;
    const started = d.clock.now();
    d.tool({
      type: "tool.call",
      callId,
      tool: item.name,
      arguments: redact(args),
      at: started,
    });
    this.#state(callId, item.name, "received", "running");
    if (this.#switching) {
      this.#finish(callId, item.name, started, "failed", {
        error: {
          code: "handoff_in_progress",
          message: `the conversation is already being transferred to ${this.#switching}`,
        },
      });
      return;
    }
    this.#switching = handoff.name;
    try {
      const target = await d.load(handoff, from);
      const voiceKept = await d.switchTo(target);
      d.handedOff({
        from: from.name,
        to: target.name,
        reason,
        callId,
        ...(voiceKept === undefined ? {} : { voiceKept }),
      });
      this.#finish(
        callId,
        item.name,
        started,
        "completed",
        `transferred to ${target.name}`,
        d.greeting?.(target),
      );
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      d.log.warn("handoff failed", { to: handoff.name, error: message });
      d.failed(
        new SessionError("handoff_failed", `could not hand off to ${handoff.name}: ${message}`, {
          cause,
        }),
      );
      this.#finish(callId, item.name, started, "failed", {
        error: {
          code: "handoff_failed",
          message: `the transfer to ${handoff.name} did not work; carry on helping the caller yourself`,
        },
      });
    } finally {
      this.#switching = undefined;
    }
  }

  #finish(
    callId: string,
    tool: string,
    started: number,
    state: CallState,
    result: string | object,
    greeting?: string,
  ): void {
    const d = this.#d;
    const output = typeof result === "string" ? result : JSON.stringify(result);
    // False when the session's close answered the call first: then it is over, with nothing more to say.
    if (!d.ledger.answer(callId, output)) return;
    this.#state(callId, tool, "running", state);
    const now = d.clock.now();
    d.tool({ type: "tool.output", callId, tool, state, output, ms: now - started, at: now });
    // The agent taken over to greets the caller in its own words when its file has a greeting; else it just answers.
    d.responses.request(
      greeting
        ? { kind: "greeting", response: { instructions: sayExactly(greeting) } }
        : { kind: "answer" },
    );
  }

  #state(callId: string, tool: string, from: CallState, to: CallState): void {
    this.#d.tool({ type: "tool.state", callId, tool, from, to, at: this.#d.clock.now() });
  }
}

function parseArgs(raw: string | undefined): Record<string, unknown> {
  try {
    const value = JSON.parse(raw || "{}") as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
