import type {
  FunctionTool,
  ResponseCreateParamsNonStreaming,
  ResponseFunctionToolCall,
  ResponseInputItem,
  ResponseOutputItem,
  Tool,
} from "openai/resources/responses/responses";
import { renderTemplate } from "../compile/template.ts";
import { describeTool, parametersJsonSchema } from "../compile/tools.ts";
import { ParleyError } from "../errors/index.ts";
import { redact, redactMessage } from "../log/redact.ts";
import type { SchedulerHost } from "../scheduler/host.ts";
import type { ToolSchedulerOptions } from "../scheduler/options.ts";
import type { DelegateSpecConfig } from "../schema/delegate.ts";
import type { AnyToolDefinition } from "../tool/tool-pack.ts";
import { historyInput } from "./history.ts";
import { NestedCalls } from "./nested-calls.ts";

/** Requests to the text model per delegation when the delegate does not say (`maxSteps:`). */
export const DEFAULT_MAX_STEPS = 8;

/** What a delegation needs: the tool, its call, the scheduler's host and options (approvers, policy, audit log). */
export interface DelegationRun {
  tool: AnyToolDefinition & { delegate: DelegateSpecConfig };
  callId: string;
  args: Record<string, unknown>;
  host: SchedulerHost;
  options: ToolSchedulerOptions;
  /** Aborted when the call ends early (timeout, interruption with onInterrupt: cancel, the session's close). */
  signal: AbortSignal;
}

/** The delegation failed: no delegation host (no session), the text model refused, or it never answered. */
export type DelegationErrorCode =
  | "delegate_bad_json"
  | "delegate_failed"
  | "delegate_no_host"
  | "delegate_too_many_steps";

export class DelegationError extends ParleyError<DelegationErrorCode> {}

/**
 * Asks the delegate's text model through the Responses API and loops over its tool calls (each through a nested
 * ToolScheduler: same validation, approval policy and events, marked with the delegate's call id) until it
 * answers. Returns the answer: text, or the parsed JSON when the delegate has an output schema.
 *
 * @example
 * const answer = await runDelegation({ tool, callId, args: { question }, host, options, signal });
 */
export async function runDelegation(run: DelegationRun): Promise<unknown> {
  const { tool, host, callId, signal } = run;
  const spec = tool.delegate;
  const delegation = host.delegation;
  if (!delegation)
    throw new DelegationError(
      "delegate_no_host",
      `${tool.name} delegates to a text model, but this session gives no Responses client`,
    );
  const started = host.clock.now();
  const mode = spec.mode ?? "sync";
  const byName = new Map(run.options.tools.map((t) => [t.name, t as AnyToolDefinition]));
  const allowed = (spec.tools ?? []).flatMap((n) => byName.get(n) ?? []);
  const nested = new NestedCalls(host, run.options, allowed, callId);
  const input: ResponseInputItem[] = [
    ...historyInput(delegation.history(), spec.history),
    { role: "user", content: requestText(run.args) },
  ];
  const body = requestBody(spec, tool, allowed, host.variables);
  let steps = 0;
  let modelMs = 0;
  const done = (state: "answered" | "failed" | "cancelled" | "timed_out", answer: string) =>
    host.emit?.({
      type: "delegation.done",
      callId,
      tool: tool.name,
      model: spec.model,
      mode,
      state,
      steps,
      ms: host.clock.now() - started,
      modelMs,
      answer: redactMessage(answer),
      at: host.clock.now(),
    });
  try {
    for (;;) {
      if (steps >= (spec.maxSteps ?? DEFAULT_MAX_STEPS))
        throw new DelegationError(
          "delegate_too_many_steps",
          `${spec.model} made ${steps} requests without answering (maxSteps)`,
        );
      steps++;
      const asked = host.clock.now();
      const response = await delegation.responses.create({ ...body, input }, { signal });
      const ms = host.clock.now() - asked;
      modelMs += ms;
      const { cost } = delegation.record({ model: spec.model, usage: response.usage, ms });
      const calls = response.output.filter(
        (o): o is ResponseFunctionToolCall => o.type === "function_call",
      );
      // Remote MCP tools run inside the API (mcp_call items); those it holds for approval are decided here.
      const approvals = response.output.filter(
        (o): o is ResponseOutputItem.McpApprovalRequest => o.type === "mcp_approval_request",
      );
      const remote = response.output.flatMap((o) =>
        o.type === "mcp_call" ? [`${o.server_label}/${o.name}`] : [],
      );
      host.emit?.({
        type: "delegation.step",
        callId,
        tool: tool.name,
        model: spec.model,
        step: steps,
        calls: [...calls.map((c) => c.name), ...remote],
        ms,
        tokens: {
          input: response.usage?.input_tokens ?? 0,
          output: response.usage?.output_tokens ?? 0,
          cached: response.usage?.input_tokens_details?.cached_tokens ?? 0,
        },
        costUsd: cost?.usd,
        at: host.clock.now(),
      });
      if (response.error)
        throw new DelegationError("delegate_failed", `${spec.model}: ${response.error.message}`);
      if (calls.length === 0 && approvals.length === 0) {
        const text = response.output_text ?? "";
        done("answered", text);
        return spec.output && spec.output !== "text" ? parseAnswer(text, spec.model) : text;
      }
      // The model's own items go back with their outputs: the API is used statelessly (store: false).
      const [outputs, answers] = await Promise.all([nested.run(calls), nested.approve(approvals)]);
      input.push(...(response.output as ResponseInputItem[]), ...outputs, ...answers);
      if (signal.aborted) throw signal.reason;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = (signal.reason as { code?: string } | undefined)?.code;
    done(
      !signal.aborted ? "failed" : reason === "call_timeout" ? "timed_out" : "cancelled",
      message,
    );
    throw error;
  } finally {
    await nested.close();
  }
}

/** The user message the text model answers: the question itself when it is the only argument, else the JSON. */
function requestText(args: Record<string, unknown>): string {
  const values = Object.values(args);
  if (values.length === 1 && typeof values[0] === "string") return values[0];
  return JSON.stringify(redact(args));
}

function requestBody(
  spec: DelegateSpecConfig,
  tool: AnyToolDefinition,
  allowed: readonly AnyToolDefinition[],
  variables: Record<string, unknown>,
): Omit<ResponseCreateParamsNonStreaming, "input"> {
  const tools: Tool[] = allowed.map(
    (t): FunctionTool => ({
      type: "function",
      name: t.name,
      description: describeTool(t),
      parameters: parametersJsonSchema(t.parameters),
      strict: false,
    }),
  );
  const body: Omit<ResponseCreateParamsNonStreaming, "input"> = {
    model: spec.model,
    store: false,
  };
  if (spec.instructions) body.instructions = renderTemplate(spec.instructions, scopeOf(variables));
  // Remote MCP servers: the compiled Realtime `mcp` tool has the Responses API's shape.
  tools.push(...((tool.delegateMcp ?? []) as Tool[]));
  if (tools.length) body.tools = tools;
  if (spec.reasoning) body.reasoning = { effort: spec.reasoning.effort };
  if (spec.output && spec.output !== "text")
    body.text = {
      format: {
        type: "json_schema",
        name: spec.output.name ?? tool.name,
        schema: spec.output.schema,
        strict: false,
      },
    };
  return body;
}

function scopeOf(variables: Record<string, unknown>): Record<string, string> {
  const scope: Record<string, string> = {};
  for (const [k, v] of Object.entries(variables))
    if (v !== null && v !== undefined) scope[k] = String(v);
  return scope;
}

function parseAnswer(text: string, model: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DelegationError(
      "delegate_bad_json",
      `${model} was asked for JSON matching the output schema and answered something else`,
    );
  }
}
