import type { Clock } from "../clock/index.ts";
import { redactString } from "../log/redact.ts";
import type { ApprovalRequest, Approver } from "./approver.ts";

/** How an approval ended. `cancelled`: the call itself went away (interruption, session end) before a decision. */
export type GateResult =
  | {
      outcome: "decided";
      approved: boolean;
      approver: string;
      reason: string | undefined;
      by: string | undefined;
    }
  | { outcome: "timeout"; approved: boolean; approver: string; reason: string }
  | { outcome: "cancelled" };

/**
 * Asks `approver` and waits at most `timeoutMs` (on `clock`). An approver that throws counts as a denial
 * (fail closed). `callSignal` aborting (the call was cancelled) ends the wait with `cancelled`.
 */
export function askApprover(
  approver: Approver,
  request: Omit<ApprovalRequest, "signal" | "expiresAt">,
  options: {
    timeoutMs: number;
    onTimeout: "reject" | "approve";
    clock: Clock;
    callSignal: AbortSignal;
    wallNow?: () => number;
  },
): Promise<GateResult> {
  const controller = new AbortController();
  const { clock, callSignal, timeoutMs } = options;
  return new Promise<GateResult>((resolve) => {
    let done = false;
    const finish = (result: GateResult) => {
      if (done) return;
      done = true;
      clock.clearTimeout(timer);
      callSignal.removeEventListener("abort", onCallAbort);
      if (!controller.signal.aborted) controller.abort(new Error(`approval ${result.outcome}`));
      resolve(result);
    };
    const onCallAbort = () => finish({ outcome: "cancelled" });
    const timer = clock.setTimeout(() => {
      const seconds = Math.round(timeoutMs / 100) / 10;
      finish({
        outcome: "timeout",
        approved: options.onTimeout === "approve",
        approver: approver.name,
        reason: `no decision from the ${approver.name} approver within ${seconds}s`,
      });
    }, timeoutMs);
    if (callSignal.aborted) {
      onCallAbort();
      return;
    }
    callSignal.addEventListener("abort", onCallAbort, { once: true });
    const full: ApprovalRequest = {
      ...request,
      expiresAt: (options.wallNow ?? Date.now)() + timeoutMs,
      signal: controller.signal,
    };
    // Whatever the approver does (returns undefined, a non-object, throws, rejects), this chain ends in `finish`
    // with a denial unless the answer is an explicit approval; nothing escapes as an unhandled rejection.
    Promise.resolve()
      .then(() => approver.ask(full))
      .then(
        (answer: unknown) => finish(decided(answer, approver.name)),
        (error: unknown) => finish(failed(error, approver.name)),
      )
      .catch((error: unknown) => finish(failed(error, approver.name)));
  });
}

function decided(answer: unknown, name: string): GateResult {
  const d = (answer && typeof answer === "object" ? answer : {}) as Record<string, unknown>;
  const explicit = typeof d.approved === "boolean";
  return {
    outcome: "decided",
    approved: d.approved === true,
    approver: name,
    reason: explicit
      ? typeof d.reason === "string"
        ? d.reason
        : undefined
      : `the ${name} approver gave no decision`,
    by: typeof d.by === "string" ? d.by : undefined,
  };
}

function failed(error: unknown, name: string): GateResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    outcome: "decided",
    approved: false,
    approver: name,
    reason: `the ${name} approver failed: ${redactString(message).slice(0, 500)}`,
    by: undefined,
  };
}
