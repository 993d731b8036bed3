import type { ApprovalDecision, Approver } from "@parley/core";

/**
 * The console as an approver, like the terminal in `agent dev`: a call that needs approval shows a card in the page
 * (from the `approval.requested` event), and the page's Approve / Deny answers it by call id. Unanswered questions
 * end as the scheduler decides (timeout, interruption, session end abort the request).
 */
export class ConsoleApprovals {
  readonly #pending = new Map<string, (decision: ApprovalDecision) => void>();

  readonly approver: Approver = {
    name: "console",
    ask: (request) =>
      new Promise<ApprovalDecision>((resolve) => {
        const settle = (decision: ApprovalDecision) => {
          if (this.#pending.get(request.callId) !== settle) return;
          this.#pending.delete(request.callId);
          request.signal.removeEventListener("abort", abort);
          resolve(decision);
        };
        const abort = () => settle({ approved: false, reason: "no answer from the console" });
        if (request.signal.aborted) return abort();
        request.signal.addEventListener("abort", abort, { once: true });
        this.#pending.set(request.callId, settle);
      }),
  };

  /** The call ids waiting for an answer. */
  get pending(): string[] {
    return [...this.#pending.keys()];
  }

  /** Answers the question about `callId`; false when none is pending (already answered, expired). */
  decide(callId: string, approved: boolean): boolean {
    const settle = this.#pending.get(callId);
    if (!settle) return false;
    settle({
      approved,
      by: "console",
      ...(approved ? {} : { reason: "declined in the console" }),
    });
    return true;
  }
}
