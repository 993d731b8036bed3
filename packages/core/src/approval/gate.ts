import type { Clock } from "../clock/index.ts";
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
    Promise.resolve()
      .then(() => approver.ask(full))
      .then(
        (d) =>
          finish({
            outcome: "decided",
            approved: d.approved === true,
            approver: approver.name,
            reason: d.reason,
            by: d.by,
          }),
        (error: unknown) =>
          finish({
            outcome: "decided",
            approved: false,
            approver: approver.name,
            reason: `the ${approver.name} approver failed: ${error instanceof Error ? error.message : String(error)}`,
            by: undefined,
          }),
      );
  });
}
