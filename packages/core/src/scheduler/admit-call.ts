import type { Call } from "./call.ts";
import { callFingerprint, type InFlightCalls } from "./duplicates.ts";
import type { CallOutcome } from "./outputs.ts";
import type { PreparedTool } from "./prepare-tool.ts";

/** A call that may go on (`replaces`: identical calls in flight to cancel first), or the outcome that ends it now. */
export type Admission = { tool: PreparedTool; replaces: Call[] } | { refused: CallOutcome };

/**
 * Decides whether a new call may go on: the tool exists, the arguments are valid (they are set on the call,
 * validated and typed), and the duplicate policy allows it. Registers the call as in flight when it is tracked.
 */
export function admitCall(
  call: Call,
  tools: ReadonlyMap<string, PreparedTool>,
  inFlight: InFlightCalls<Call>,
): Admission {
  const tool = tools.get(call.tool);
  if (!tool) {
    const known = [...tools.keys()].join(", ") || "none";
    return {
      refused: {
        state: "failed",
        code: "unknown_tool",
        message: `there is no tool named "${call.tool}" (available: ${known})`,
      },
    };
  }
  const check = tool.validate(call.rawArguments);
  if (!check.ok)
    return {
      refused: {
        state: "failed",
        code: "invalid_arguments",
        message: `${tool.name}: ${check.message}`,
      },
    };
  call.args = check.value;
  if (tool.duplicate === "allow") return { tool, replaces: [] };
  call.fingerprint = callFingerprint(tool.name, call.args);
  const twins = inFlight.twins(call.fingerprint);
  if (twins.length > 0 && tool.duplicate === "reject") {
    call.fingerprint = undefined; // never registered: its end must not touch the call it duplicates
    return {
      refused: {
        state: "rejected",
        code: "duplicate_call",
        message: `an identical ${tool.name} call is already in progress; its result will follow`,
      },
    };
  }
  inFlight.add(call.fingerprint, call);
  return { tool, replaces: twins };
}
