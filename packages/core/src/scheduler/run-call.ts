import { startDelegation } from "../delegate/start-delegation.ts";
import { redactMessage } from "../log/redact.ts";
import type { ToolContext, ToolLogger } from "../tool/index.ts";
import type { Call } from "./call.ts";
import type { SchedulerEvent } from "./events.ts";
import type { SchedulerHost } from "./host.ts";
import type { ToolSchedulerOptions } from "./options.ts";
import type { CallOutcome } from "./outputs.ts";
import type { PreparedTool } from "./prepare-tool.ts";

/** What running a call needs from the scheduler. */
export interface RunEnv {
  host: SchedulerHost;
  log: ToolLogger;
  emit(event: SchedulerEvent): void;
  /** Ends the call with its one output (a no-op once it has ended: late results are ignored). */
  end(call: Call, outcome: CallOutcome): void;
  /** The scheduler's options: a delegate tool's text model calls the agent's tools with the same policy. */
  options: ToolSchedulerOptions;
  /** Notes the call's run deadline (its tool's timeout from now): past it, the call ends `timed_out` (`timedOut`). */
  deadline(call: Call, ms: number): void;
}

/** The outcome of a call that ran past its tool's timeout. */
export function timedOut(tool: PreparedTool): CallOutcome {
  const seconds = Math.round(tool.timeoutMs / 100) / 10;
  return {
    state: "timed_out",
    code: "timeout",
    message: `${tool.name} did not finish within ${seconds}s`,
  };
}

/**
 * Runs a call's handler (the call must be `running`): notes its deadline, hands it a context, and routes its result
 * or error to `env.end`. A handler that returns synchronously ends the call before this returns.
 */
export function runCall(call: Call, tool: PreparedTool, env: RunEnv): void {
  const { host } = env;
  env.deadline(call, tool.timeoutMs);
  const ctx: ToolContext = {
    // A getter: the AbortSignal is made only for a tool that reads it.
    get signal() {
      return call.signal;
    },
    progress: (message: string) => {
      if (call.state !== "running") return;
      call.setProgress(message);
      env.emit({
        type: "tool.progress",
        callId: call.id,
        tool: tool.name,
        message,
        at: host.clock.now(),
      });
    },
    variables: host.variables,
    log: env.log,
    callId: call.id,
  };
  // Set, not spread in: no second object per call.
  const session = host.session;
  if (session) ctx.session = session;
  const trace = host.traceContext?.(call.id);
  if (trace) ctx.trace = trace;
  const failed = (error: unknown) =>
    env.end(call, {
      state: "failed",
      code: "tool_error",
      message: `${tool.name} failed: ${redactMessage(error instanceof Error ? error.message : String(error))}`,
    });
  let result: unknown;
  try {
    const { delegate } = tool.definition;
    result = delegate
      ? startDelegation(
          {
            tool: { ...tool.definition, delegate },
            callId: call.id,
            args: call.args as Record<string, unknown>,
            host,
            options: env.options,
            signal: call.signal,
          },
          tool.timeoutMs,
        )
      : tool.definition.run(call.args as never, ctx);
  } catch (error) {
    failed(error);
    return;
  }
  if (isThenable(result))
    result.then((value) => env.end(call, { state: "completed", result: value }), failed);
  else env.end(call, { state: "completed", result });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function";
}
