import type {
  ResponseFunctionToolCall,
  ResponseInputItem,
  ResponseOutputItem,
} from "openai/resources/responses/responses";
import { CallLedger } from "../contracts/call-ledger.ts";
import type { SchedulerHost } from "../scheduler/host.ts";
import type { ToolSchedulerOptions } from "../scheduler/options.ts";
import { ToolScheduler } from "../scheduler/tool-scheduler.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";

/**
 * The text model's own tool calls, run by a ToolScheduler of their own with the agent's approvers, approval policy
 * and audit log: validation, approval, timeouts and concurrency are the same as for the voice model's calls. Its
 * host speaks to nobody: outputs come back here (a ledger of its own) instead of going to the Realtime session,
 * nested tools say no fillers (the delegation's own filler covers the wait), and every event it emits reaches the
 * session marked with `parentCallId`, so a timeline shows the calls nested under the delegation.
 */
export class NestedCalls {
  readonly #scheduler: ToolScheduler;
  readonly #waiters = new Map<string, (output: string) => void>();
  readonly #approvals = new Map<string, (answer: ResponseInputItem.McpApprovalResponse) => void>();

  constructor(
    parent: SchedulerHost,
    options: ToolSchedulerOptions,
    tools: readonly AnyToolDefinition[],
    parentCallId: string,
  ) {
    const ledger = new CallLedger((event) => {
      if (event.type !== "conversation.item.create") return;
      const item = event.item;
      if (item.type !== "function_call_output") return;
      const waiter = this.#waiters.get(item.call_id);
      this.#waiters.delete(item.call_id);
      waiter?.(item.output);
    });
    const host: SchedulerHost = {
      // The scheduler's answer to an MCP approval request (McpApprovals) comes back here, for the next request.
      send: (event) => {
        if (event.type !== "conversation.item.create") return;
        const item = event.item;
        if (item.type !== "mcp_approval_response") return;
        const waiter = this.#approvals.get(item.approval_request_id);
        this.#approvals.delete(item.approval_request_id);
        waiter?.({
          type: "mcp_approval_response",
          approval_request_id: item.approval_request_id,
          approve: item.approve,
          ...(item.reason ? { reason: item.reason } : {}),
        });
      },
      ledger,
      // Nothing is said about a nested call: the text model reads its output, not the caller.
      responses: { request: () => {}, inProgress: false },
      get userSpeaking() {
        return parent.userSpeaking;
      },
      clock: parent.clock,
      get sessionId() {
        return parent.sessionId;
      },
      get variables() {
        return parent.variables;
      },
      ...(parent.session ? { session: parent.session } : {}),
      emit: (event) => parent.emit?.({ ...event, parentCallId }),
      // Nested calls have spans of their own (under the delegation's), found by their call id.
      ...(parent.traceContext ? { traceContext: (id: string) => parent.traceContext?.(id) } : {}),
    };
    this.#scheduler = new ToolScheduler(host, {
      ...options,
      tools: tools.map((t) => ({ ...t, filler: false as const })),
      filler: false,
    });
  }

  /** Runs one step's calls (in parallel, as the scheduler allows) and returns their outputs in the calls' order. */
  run(calls: readonly ResponseFunctionToolCall[]): Promise<ResponseInputItem.FunctionCallOutput[]> {
    return Promise.all(
      calls.map(
        (call) =>
          new Promise<ResponseInputItem.FunctionCallOutput>((resolve) => {
            // Registered first: a synchronous handler ends its call inside onFunctionCall.
            this.#waiters.set(call.call_id, (output) =>
              resolve({ type: "function_call_output", call_id: call.call_id, output }),
            );
            this.#scheduler.onFunctionCall({
              type: "function_call",
              id: call.id ?? call.call_id,
              call_id: call.call_id,
              name: call.name,
              arguments: call.arguments,
            });
          }),
      ),
    );
  }

  /**
   * The text model's remote MCP calls that the API holds for approval (`mcp_approval_request`): each decided by the
   * agent's approval policy and approvers, as the voice model's are; the answers go in the next request's input.
   */
  approve(
    requests: readonly ResponseOutputItem.McpApprovalRequest[],
  ): Promise<ResponseInputItem.McpApprovalResponse[]> {
    return Promise.all(
      requests.map(
        (request) =>
          new Promise<ResponseInputItem.McpApprovalResponse>((resolve) => {
            this.#approvals.set(request.id, resolve);
            this.#scheduler.onMcpApprovalRequest({ ...request, type: "mcp_approval_request" });
          }),
      ),
    );
  }

  /** The delegation ended (answered, cancelled, timed out): calls still running are cancelled. */
  close(): Promise<void> {
    return this.#scheduler.close();
  }
}
