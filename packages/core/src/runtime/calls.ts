import { randomUUID } from "node:crypto";
import type {
  RealtimeClientEvent,
  RealtimeConversationItemFunctionCall,
  RealtimeMcpApprovalRequest,
} from "openai/resources/realtime/realtime";
import type { CallLedger } from "../contracts/call-ledger.ts";
import type { CallHandler, ResponseQueue } from "../contracts/scheduler-host.ts";
import type { LoadedHandoff } from "../load/index.ts";
import type { Logger } from "../log/index.ts";

/** Runs handoff calls (`transfer_to_<name>`) before they reach the tool handler (see handoffs.ts). */
export interface HandoffRunner {
  match(name: string): LoadedHandoff | undefined;
  handle(item: RealtimeConversationItemFunctionCall, handoff: LoadedHandoff): void;
  /** A handoff is being carried out. */
  readonly busy?: boolean;
}

/**
 * Hands tool calls and speech signals to the CallHandler (the scheduler), once per call, shielding the session from
 * a handler that throws. Without a handler, every call still gets its one output (an error) and approval requests
 * are denied, so the model is never left waiting.
 */
export class CallRouter {
  handler: CallHandler | undefined;
  handoffs: HandoffRunner | undefined;
  readonly #ledger: CallLedger;
  readonly #send: (event: RealtimeClientEvent) => void;
  readonly #responses: ResponseQueue;
  readonly #log: Logger;

  constructor(
    ledger: CallLedger,
    send: (event: RealtimeClientEvent) => void,
    responses: ResponseQueue,
    log: Logger,
  ) {
    this.#ledger = ledger;
    this.#send = send;
    this.#responses = responses;
    this.#log = log;
  }

  /** A handoff or a tool call is under way, or the answer about an output is scheduled. */
  get busy(): boolean {
    return Boolean(this.handoffs?.busy || this.handler?.busy);
  }

  functionCall(item: RealtimeConversationItemFunctionCall): void {
    if (!this.#ledger.receive(item.call_id ?? item.id ?? "")) return;
    const handoff = this.handoffs?.match(item.name);
    if (handoff) {
      this.handoffs?.handle(item, handoff);
      return;
    }
    const handler = this.handler;
    if (handler) {
      // Not through `call`: no closure per tool call on the turn's path.
      try {
        handler.onFunctionCall(item);
      } catch (error) {
        this.#log.error("the tool handler threw", { error });
      }
      return;
    }
    const answered = this.#ledger.answer(
      item.call_id ?? "",
      JSON.stringify({
        error: `no tool handler is attached to this session; "${item.name}" cannot run`,
      }),
    );
    if (answered) this.#responses.request({ kind: "answer" });
  }

  approvalRequest(item: RealtimeMcpApprovalRequest): void {
    if (!this.#ledger.receiveApproval(item.id)) return;
    if (this.handler) {
      this.call((h) => h.onMcpApprovalRequest(item));
      return;
    }
    this.#send({
      type: "conversation.item.create",
      item: {
        type: "mcp_approval_response",
        id: `parley_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
        approval_request_id: item.id,
        approve: false,
        reason: "no approver is attached to this session",
      },
    });
    this.#responses.request({ kind: "answer" });
  }

  /** Calls the handler, if any; a throw is logged, never propagated into the event loop of the session. */
  call(fn: (handler: CallHandler) => void): void {
    if (!this.handler) return;
    try {
      fn(this.handler);
    } catch (error) {
      this.#log.error("the tool handler threw", { error });
    }
  }

  /**
   * The session is ending: the handler aborts its calls (each gets its output while the socket is open), then any
   * call still without one (a handoff half-way) gets a `session_closed` output from the ledger.
   */
  async close(): Promise<void> {
    try {
      await this.handler?.close();
    } catch (error) {
      this.#log.warn("the tool handler failed to close", { error });
    }
    this.#ledger.closeAll(
      JSON.stringify({
        error: { code: "session_closed", message: "the session ended before the call finished" },
      }),
    );
  }
}
