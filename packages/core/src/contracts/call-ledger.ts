import type {
  ConversationItemCreateEvent,
  RealtimeClientEvent,
} from "openai/resources/realtime/realtime";
import { NONE } from "../collections/lazy.ts";

/** Where a call is in the ledger: reported by the model, taken by a handler, answered. */
export type LedgerState = "received" | "taken" | "answered";

/**
 * The one `function_call_output` item for a call: built here and nowhere else.
 *
 * @example
 * functionCallOutput("call_1", '{"ok":true}') // { type: "conversation.item.create", item: { type: "function_call_output", … } }
 */
export function functionCallOutput(callId: string, output: string): ConversationItemCreateEvent {
  return {
    type: "conversation.item.create",
    item: { type: "function_call_output", call_id: callId, output },
  };
}

/**
 * The single owner of a session's call ids. The model reports each call twice (`response.output_item.done`, then
 * `response.done`) and several parties may end one (the scheduler's result, timeout or cancel; a handoff; the
 * router when no handler is attached; the session's close), so the ledger guarantees: a call reaches one handler
 * (`receive`, `take`), and gets exactly one `function_call_output` (`answer`), whoever ends it first.
 *
 * @example
 * const ledger = new CallLedger((event) => socket.send(event));
 * if (ledger.receive(item.call_id)) route(item);       // false for the second report of the same call
 * ledger.answer(item.call_id, '{"ok":true}');          // true: sent; a later answer is refused (false)
 */
export class CallLedger {
  readonly #send: (event: RealtimeClientEvent) => void;
  #calls: Map<string, LedgerState> | undefined;
  #approvals: Set<string> | undefined;

  constructor(send: (event: RealtimeClientEvent) => void) {
    this.#send = send;
  }

  /** Registers a reported call; true the first time its id is seen, false for a repeated report. */
  receive(callId: string): boolean {
    if (this.#calls?.has(callId)) return false;
    this.#callsOf().set(callId, "received");
    return true;
  }

  /** Registers a reported MCP approval request (reported twice too); true the first time its id is seen. */
  receiveApproval(requestId: string): boolean {
    if (this.#approvals?.has(requestId)) return false;
    this.#approvalsOf().add(requestId);
    return true;
  }

  /**
   * A handler takes a call to run it: true for the first taker of a call not yet answered (a call not received
   * before is received now: a handler used without a router).
   */
  take(callId: string): boolean {
    const state = this.#calls?.get(callId);
    if (state !== undefined && state !== "received") return false;
    this.#callsOf().set(callId, "taken");
    return true;
  }

  /** Sends the call's one output; false (and nothing sent) when it was answered already. */
  answer(callId: string, output: string): boolean {
    if (this.#calls?.get(callId) === "answered") return false;
    this.#callsOf().set(callId, "answered");
    this.#send(functionCallOutput(callId, output));
    return true;
  }

  stateOf(callId: string): LedgerState | undefined {
    return this.#calls?.get(callId);
  }

  /** Calls received or taken and not answered yet. */
  get open(): string[] {
    const out: string[] = [];
    for (const [id, state] of this.#calls ?? NONE) if (state !== "answered") out.push(id);
    return out;
  }

  /** The session is ending: every call still open gets its output now (`output` says why), while it can be sent. */
  closeAll(output: string): string[] {
    const ended = this.open;
    for (const id of ended) this.answer(id, output);
    return ended;
  }

  /** `#calls`, made on the first write (most sessions never write to it). */
  #callsOf(): Map<string, LedgerState> {
    this.#calls ??= new Map();
    return this.#calls;
  }

  /** `#approvals`, made on the first write (most sessions never write to it). */
  #approvalsOf(): Set<string> {
    this.#approvals ??= new Set();
    return this.#approvals;
  }
}

const ledgers = new WeakMap<object, CallLedger>();

/**
 * The ledger of a scheduler host: the one the runtime gave (`host.ledger`), else one per host object, so every
 * scheduler on one host (AgentTools' per-agent schedulers) shares it.
 */
export function ledgerOf(host: {
  ledger?: CallLedger;
  send(event: RealtimeClientEvent): void;
}): CallLedger {
  if (host.ledger) return host.ledger;
  let ledger = ledgers.get(host);
  if (!ledger) {
    ledger = new CallLedger((event) => host.send(event));
    ledgers.set(host, ledger);
  }
  return ledger;
}
