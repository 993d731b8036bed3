import { redactMessage } from "../log/redact.ts";
import type { TerminalCallState } from "./call-state.ts";

/** Stable codes of the structured errors a model receives as a call's output. */
export type CallErrorCode =
  | "unknown_tool"
  | "invalid_arguments"
  | "tool_error"
  | "timeout"
  | "cancelled"
  | "replaced"
  | "duplicate_call"
  | "approval_denied"
  | "approval_timeout"
  | "session_closed";

/** How a call ended, before it is written as a `function_call_output`. */
export type CallOutcome =
  | { state: "completed"; result: unknown }
  | { state: Exclude<TerminalCallState, "completed">; code: CallErrorCode; message: string };

/**
 * The `output` string of a call's `function_call_output`. Results are JSON (strings as they are); errors are
 * `{"error":{"code","message"}}`, which the model can speak about ("the booking system timed out"). Error messages
 * come from handlers, MCP servers and approvers, so they are redacted and capped on the way out.
 *
 * @example
 * outputText({ state: "timed_out", code: "timeout", message: "lookup did not finish within 30s" })
 * // '{"error":{"code":"timeout","message":"lookup did not finish within 30s"}}'
 */
export function outputText(outcome: CallOutcome): string {
  if (outcome.state !== "completed") {
    return JSON.stringify({
      error: { code: outcome.code, message: redactMessage(outcome.message) },
    });
  }
  const { result } = outcome;
  if (typeof result === "string") return result;
  if (result === undefined) return JSON.stringify({ ok: true });
  try {
    return JSON.stringify(result) ?? String(result);
  } catch {
    return String(result);
  }
}

/** An unsuccessful outcome, in one line. */
export function endWith(
  state: Exclude<TerminalCallState, "completed">,
  code: CallErrorCode,
  message: string,
): CallOutcome {
  return { state, code, message };
}
