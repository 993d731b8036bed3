import type { RealtimeResponseCreateParams } from "openai/resources/realtime/realtime";
import { asAudioFormat } from "./audio/formats.ts";
import { runMcpCall } from "./mcp/call.ts";
import { needsApproval } from "./mcp/client.ts";
import { modelItems, modelTools } from "./model-view.ts";
import type { ModelAction, ModelItem, ModelTool } from "./models/types.ts";
import type { ResponseHost } from "./response-host.ts";
import {
  closeItem,
  type OutputTarget,
  openItem,
  streamFunctionCall,
  streamMessage,
} from "./response-output.ts";
import { sessionView } from "./session-state.ts";
import {
  addItemTokens,
  cachedTokens,
  type TokenCounts,
  textTokens,
  usageObject,
  zeroCounts,
} from "./tokens.ts";

type Json = Record<string, unknown>;

/** The `response` of a response.create. */
export type ResponseParams = RealtimeResponseCreateParams;

/** Rounds of model calls within one response (MCP calls let the model continue after their output). */
const MAX_ROUNDS = 4;

/**
 * One response, from response.created to response.done: asks the model what to do, streams each action's
 * items, runs MCP calls (or asks for approval), accounts tokens and ends with the right status.
 */
export class ActiveResponse {
  readonly id: string;
  readonly outOfBand: boolean;
  private readonly abort = new AbortController();
  private cancelReason: "client_cancelled" | "turn_detected" | undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly host: ResponseHost,
    private readonly params: ResponseParams,
    private readonly accounting: { previousInput: number; onInput(total: number): void },
  ) {
    this.id = host.ids.next("resp");
    this.outOfBand = params.conversation === "none";
    this.done = this.run();
  }

  /** True once cancel() was called: the response is ending, its response.done is on its way. */
  get cancelling(): boolean {
    return this.cancelReason !== undefined;
  }

  /** Ends the response as cancelled; what was streamed so far stays (items marked incomplete). */
  cancel(reason: "client_cancelled" | "turn_detected"): void {
    this.cancelReason ??= reason;
    this.abort.abort();
  }

  private shell(status: string): Json {
    const session = this.host.session();
    const modalities = this.params.output_modalities ?? sessionView.outputModalities(session);
    const format = this.params.audio?.output?.format ?? session.audio?.output?.format;
    const voice = this.params.audio?.output?.voice ?? sessionView.voice(session);
    return {
      object: "realtime.response",
      id: this.id,
      status,
      ...(this.outOfBand ? {} : { conversation_id: this.host.conversationId }),
      output_modalities: modalities,
      max_output_tokens: this.params.max_output_tokens ?? session.max_output_tokens ?? "inf",
      audio: { output: { format, voice } },
      metadata: this.params.metadata ?? null,
      output: [],
    };
  }

  private async run(): Promise<void> {
    const { host } = this;
    host.send({ type: "response.created", response: this.shell("in_progress") });
    const session = host.session();
    const modalities = this.params.output_modalities ?? sessionView.outputModalities(session);
    const speed = Number(session.audio?.output?.speed ?? 1);
    const target: OutputTarget = {
      host,
      responseId: this.id,
      outOfBand: this.outOfBand,
      output: [],
      outputTokens: zeroCounts(),
      signal: this.abort.signal,
      audio: modalities.includes("audio")
        ? {
            format: asAudioFormat(
              (this.params.audio?.output?.format ?? session.audio?.output?.format)?.type,
            ),
            speed,
          }
        : undefined,
    };
    const input = this.inputTokens();
    let status: "completed" | "cancelled" | "incomplete" | "failed" = "completed";
    let failure: string;
    try {
      await host.mcpReady();
      let continuation = await this.runApprovedCalls(target);
      for (let round = 0; round < MAX_ROUNDS && !this.abort.signal.aborted; round++) {
        const actions = await host.model.respond({
          session,
          items: this.modelItems(),
          responseInstructions: this.params.instructions,
          sessionInstructions: String(session.instructions ?? ""),
          outOfBand: this.outOfBand,
          metadata: this.params.metadata ?? null,
          tools: this.tools(),
          toolChoice: this.params.tool_choice ?? session.tool_choice ?? "auto",
          parallelToolCalls:
            ((this.params as Json).parallel_tool_calls ??
              (session as unknown as Json).parallel_tool_calls) !== false,
          today: host.today(),
          continuation,
          signal: this.abort.signal,
        });
        const next = await this.perform(actions, target);
        if (next !== "continue") break;
        continuation = true;
      }
    } catch (error) {
      status = "failed";
      failure = error instanceof Error ? error.message : String(error);
      // A custom model's bug: say why in an error event, then end the response as failed.
      host.send({
        type: "error",
        error: {
          type: "server_error",
          code: "model_error",
          message: `The simulated model "${host.model.name}" failed: ${failure}`,
          param: null,
          event_id: null,
        },
      });
    }
    if (this.abort.signal.aborted) status = "cancelled";
    const limit = this.params.max_output_tokens ?? session.max_output_tokens;
    const outputTotal = target.outputTokens.text + target.outputTokens.audio;
    if (status === "completed" && typeof limit === "number" && outputTotal > limit)
      status = "incomplete";
    const total = input.text + input.audio + input.image;
    const cached = this.outOfBand ? 0 : cachedTokens(this.accounting.previousInput, total);
    if (!this.outOfBand) this.accounting.onInput(total);
    const response: Json = {
      ...this.shell(status),
      output: target.output,
      usage: usageObject(input, target.outputTokens, cached),
    };
    if (status === "cancelled")
      response.status_details = {
        type: "cancelled",
        reason: this.cancelReason ?? "client_cancelled",
      };
    if (status === "incomplete")
      response.status_details = { type: "incomplete", reason: "max_output_tokens" };
    if (status === "failed")
      response.status_details = {
        type: "failed",
        error: { type: "server_error", code: "model_error" },
      };
    host.send({ type: "response.done", response });
  }

  /** Performs the model's actions. "continue" when MCP calls ran and the model should speak about them. */
  private async perform(
    actions: ModelAction[],
    target: OutputTarget,
  ): Promise<"continue" | "stop"> {
    let ranMcp = false;
    for (const action of actions) {
      if (this.abort.signal.aborted) return "stop";
      if ("wait" in action) {
        await this.host.sleepUntil(
          this.host.now() + action.wait * this.host.pace,
          this.abort.signal,
        );
      } else if ("say" in action) {
        await streamMessage(target, action.say);
      } else {
        const args =
          typeof action.call.arguments === "string"
            ? action.call.arguments
            : JSON.stringify(action.call.arguments ?? {});
        const mcpTool = this.tools().find((t) => t.kind === "mcp" && t.name === action.call.name);
        if (!mcpTool) {
          await streamFunctionCall(target, action.call.name, args);
          continue;
        }
        const connection = this.host.mcp(mcpTool.serverLabel as string);
        if (!connection) continue;
        if (needsApproval(connection.config, mcpTool.name)) {
          this.approvalRequest(target, mcpTool, args);
          return "stop";
        }
        await runMcpCall(target, connection, mcpTool.name, args, null);
        ranMcp = true;
      }
    }
    return ranMcp ? "continue" : "stop";
  }

  private approvalRequest(target: OutputTarget, tool: ModelTool, args: string): void {
    const item = {
      id: this.host.ids.next("mcpr"),
      type: "mcp_approval_request",
      server_label: tool.serverLabel,
      name: tool.name,
      arguments: args,
    };
    const index = openItem(target, item);
    closeItem(target, index, item);
  }

  /** Runs MCP calls the client approved (mcp_approval_response with approve: true) since they were requested. */
  private async runApprovedCalls(target: OutputTarget): Promise<boolean> {
    // Without any approval response (nearly every conversation) there is nothing to look for.
    if (!this.host.conversation.hasApprovalResponses()) return false;
    const items = this.host.conversation.list();
    let ran = false;
    for (const stored of items) {
      const response = stored.item as unknown as Json;
      if (response.type !== "mcp_approval_response" || response.approve !== true) continue;
      const requestId = response.approval_request_id as string;
      const already = items.some(
        (s) =>
          (s.item as unknown as Json).type === "mcp_call" &&
          (s.item as unknown as Json).approval_request_id === requestId,
      );
      const request = this.host.conversation.get(requestId)?.item as unknown as Json | undefined;
      if (already || !request) continue;
      const connection = this.host.mcp(request.server_label as string);
      if (!connection) continue;
      await runMcpCall(
        target,
        connection,
        request.name as string,
        request.arguments as string,
        requestId,
      );
      ran = true;
    }
    return ran;
  }

  private modelItems(): ModelItem[] {
    return modelItems(this.host, this.outOfBand ? this.params.input : undefined);
  }

  private tools(): ModelTool[] {
    return modelTools(this.host, this.params.tools);
  }

  private inputTokens(): TokenCounts {
    const counts = zeroCounts();
    const session = this.host.session();
    counts.text += textTokens(this.params.instructions ?? String(session.instructions ?? ""));
    counts.text += textTokens(JSON.stringify(this.params.tools ?? session.tools ?? []));
    if (!this.outOfBand || !this.params.input) {
      // The conversation keeps its tokens counted per item.
      const total = this.host.conversation.tokens();
      counts.text += total.text;
      counts.audio += total.audio;
      counts.image += total.image;
      return counts;
    }
    for (const item of this.modelItems()) {
      const audioMs = this.host.conversation.get(item.id)?.audioMs ?? 0;
      addItemTokens(counts, item.item, audioMs);
    }
    return counts;
  }
}
